/* ctl_client.c — see ctl_client.h. One reader thread; requests are sequential (one
 * pending at a time), which is all the benchmark needs. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <glib.h>
#include <debug.h>
#include "ctl_client.h"

struct ctl_client {
	int fd;
	GMutex write_mutex;
	GMutex mutex;		/* guards the pending request */
	GCond cond;
	uint32_t next_id, pending_id;
	json_t *pending_reply;	/* owned until taken */
	GAsyncQueue *created;	/* createSession ids (GUINT_TO_POINTER) */
	GThread *reader;
	volatile gint closed;
};

static bool write_all(int fd, const void *buf, size_t len) {
	const char *p = buf;
	while(len > 0) {
		ssize_t n = write(fd, p, len);
		if(n < 0 && errno == EINTR) continue;
		if(n <= 0) return false;
		p += n; len -= (size_t)n;
	}
	return true;
}
static bool read_all(int fd, void *buf, size_t len) {
	char *p = buf;
	while(len > 0) {
		ssize_t n = read(fd, p, len);
		if(n < 0 && errno == EINTR) continue;
		if(n <= 0) return false;
		p += n; len -= (size_t)n;
	}
	return true;
}

static bool send_frame(ctl_client *c, json_t *msg) {
	char *s = json_dumps(msg, JSON_COMPACT);
	uint32_t n = htonl((uint32_t)strlen(s));
	g_mutex_lock(&c->write_mutex);
	bool ok = write_all(c->fd, &n, 4) && write_all(c->fd, s, strlen(s));
	g_mutex_unlock(&c->write_mutex);
	free(s);
	return ok;
}

static uint32_t take_id(ctl_client *c) {
	g_mutex_lock(&c->mutex);
	uint32_t id = c->next_id = c->next_id >= 0x7fffffffu ? 1 : c->next_id + 1;
	g_mutex_unlock(&c->mutex);
	return id;
}

/* The app's side of handleMessage: ping → synchronous reply; async → ack, then an
 * event pushed on the session (what an app's async handler does). */
static void on_handle_message(ctl_client *c, json_t *req) {
	json_t *params = json_object_get(req, "params");
	json_t *msg = json_object_get(params, "message");
	const char *what = json_string_value(json_object_get(msg, "request"));
	json_t *id = json_object_get(req, "id");
	json_t *resp;
	bool async = what && !strcmp(what, "async");
	if(async)
		resp = json_pack("{sOs{sb}}", "id", id, "result", "async", 1);
	else if(what && !strcmp(what, "ping"))
		resp = json_pack("{sOs{s{sb}}}", "id", id, "result", "reply", "pong", 1);
	else
		resp = json_pack("{sOssss}", "id", id, "error", "BadArguments", "reason", "bench app: unknown request");
	send_frame(c, resp);
	json_decref(resp);
	if(async) {
		/* fire and forget: its response is ignored by the reader (no pending id) */
		json_t *push = json_pack("{sisss{sOsOs{sb}}}", "id", take_id(c), "method", "pushEvent", "params",
			"id", json_object_get(params, "id"), "transaction", json_object_get(params, "transaction"),
			"event", "done", 1);
		send_frame(c, push);
		json_decref(push);
	}
}

static gpointer reader_main(gpointer data) {
	ctl_client *c = data;
	for(;;) {
		uint32_t n;
		if(!read_all(c->fd, &n, 4)) break;
		n = ntohl(n);
		char *buf = g_malloc(n + 1);
		if(!read_all(c->fd, buf, n)) { g_free(buf); break; }
		buf[n] = 0;
		json_t *m = json_loads(buf, 0, NULL);
		g_free(buf);
		if(!m) continue;
		const char *ev = json_string_value(json_object_get(m, "event"));
		const char *method = json_string_value(json_object_get(m, "method"));
		if(ev) {
			if(!strcmp(ev, "createSession")) {
				uint32_t id = (uint32_t)json_integer_value(json_object_get(json_object_get(m, "params"), "id"));
				g_async_queue_push(c->created, GUINT_TO_POINTER(id));
			}
		} else if(method) {
			if(!strcmp(method, "handleMessage")) on_handle_message(c, m);
			else {
				json_t *r = json_pack("{sOssss}", "id", json_object_get(m, "id"), "error", "NotSupported", "reason", "bench app");
				send_frame(c, r);
				json_decref(r);
			}
		} else {
			uint32_t id = (uint32_t)json_integer_value(json_object_get(m, "id"));
			g_mutex_lock(&c->mutex);
			if(id == c->pending_id && !c->pending_reply) {
				c->pending_reply = json_incref(m);
				g_cond_broadcast(&c->cond);
			}
			g_mutex_unlock(&c->mutex);
		}
		json_decref(m);
	}
	g_atomic_int_set(&c->closed, 1);
	g_mutex_lock(&c->mutex);
	g_cond_broadcast(&c->cond);
	g_mutex_unlock(&c->mutex);
	return NULL;
}

json_t *ctl_request(ctl_client *c, const char *method, json_t *params) {
	uint32_t id = take_id(c);
	g_mutex_lock(&c->mutex);
	c->pending_id = id;
	if(c->pending_reply) { json_decref(c->pending_reply); c->pending_reply = NULL; }
	g_mutex_unlock(&c->mutex);
	json_t *req = json_pack("{sIssso}", "id", (json_int_t)id, "method", method, "params", params);
	bool sent = send_frame(c, req);
	json_decref(req);
	if(!sent) return NULL;
	gint64 end = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
	g_mutex_lock(&c->mutex);
	while(!c->pending_reply && !g_atomic_int_get(&c->closed))
		if(!g_cond_wait_until(&c->cond, &c->mutex, end)) break;
	json_t *r = c->pending_reply;
	c->pending_reply = NULL;
	c->pending_id = 0;
	g_mutex_unlock(&c->mutex);
	if(!r) {
		JANUS_LOG(LOG_ERR, "bench: control request %s got no answer\n", method);
		return NULL;
	}
	json_t *result = json_object_get(r, "result");
	if(!result) {
		JANUS_LOG(LOG_ERR, "bench: control request %s failed: %s: %s\n", method,
			json_string_value(json_object_get(r, "error")), json_string_value(json_object_get(r, "reason")));
		json_decref(r);
		return NULL;
	}
	json_incref(result);
	json_decref(r);
	return result;
}

uint32_t ctl_next_created(ctl_client *c, int timeout_ms) {
	gpointer p = g_async_queue_timeout_pop(c->created, (guint64)timeout_ms * 1000);
	return GPOINTER_TO_UINT(p);
}

ctl_client *ctl_connect(const char *path, int timeout_ms) {
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if(!path || strlen(path) >= sizeof(addr.sun_path)) return NULL;
	strcpy(addr.sun_path, path);
	int fd = -1;
	for(int waited = 0; ; waited += 50) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) break;
		close(fd); fd = -1;
		if(waited >= timeout_ms) {
			JANUS_LOG(LOG_ERR, "bench: cannot connect to control socket %s: %s\n", path, strerror(errno));
			return NULL;
		}
		g_usleep(50000);
	}
	ctl_client *c = g_malloc0(sizeof(*c));
	c->fd = fd;
	g_mutex_init(&c->write_mutex);
	g_mutex_init(&c->mutex);
	g_cond_init(&c->cond);
	c->created = g_async_queue_new();
	c->reader = g_thread_new("bench-ctl", reader_main, c);
	json_t *hello = ctl_request(c, "hello", json_pack("{siss}", "protocol", 1, "app", "janus-ts-bench"));
	if(!hello) { ctl_close(c); return NULL; }
	json_decref(hello);
	return c;
}

void ctl_close(ctl_client *c) {
	if(!c) return;
	shutdown(c->fd, SHUT_RDWR);
	g_thread_join(c->reader);
	close(c->fd);
	if(c->pending_reply) json_decref(c->pending_reply);
	g_async_queue_unref(c->created);
	g_free(c);
}
