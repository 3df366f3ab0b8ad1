/* control_conn.c — one control connection: reading length-prefixed frames, and the
 * bounded outbound queue that only the control thread writes to the socket (so frames
 * leave in the order they were queued: a notification never overtakes the response
 * it follows). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "control_internal.h"

#define READ_CHUNK	65536
#define READ_BUDGET	(1024 * 1024)	/* per wakeup, so one client cannot starve others */

ctl_conn *ctl_conn_new(int fd)
{
	static guint64 serial;
	ctl_conn *c = g_new0(ctl_conn, 1);
	c->fd = fd;
	c->serial = ++serial;
	c->in = g_byte_array_new();
	g_queue_init(&c->out);
	c->since = g_get_monotonic_time();
	c->uid = (uid_t)-1;
	c->tokens = ctl.max_rate;
	c->refilled = c->since;
	return c;
}

static size_t iov_total(const struct iovec *iov, int n)
{
	size_t t = 0;
	for (int i = 0; i < n; i++)
		t += iov[i].iov_len;
	return t;
}

void ctl_conn_free(ctl_conn *c)
{
	if (c->ignored > 1)
		JANUS_LOG(LOG_WARN, "janus-ts control: connection %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT
			" frames could not be used in all (the first was logged)\n", c->serial, c->ignored);
	ctl_frame *f;
	while ((f = g_queue_pop_head(&c->out)) != NULL)
		g_free(f);
	g_byte_array_unref(c->in);
	if (c->fd >= 0)
		close(c->fd);
	g_free(c);
}

ctl_frame *ctl_frame_encode(json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	if (text == NULL)
		return NULL;
	size_t n = strlen(text);
	if (n == 0 || n > ctl.max_frame) {
		free(text);
		return NULL;
	}
	ctl_frame *f = g_malloc(sizeof(ctl_frame) + 4 + n);
	f->len = 4 + n;
	f->off = 0;
	f->data[0] = (uint8_t)(n >> 24);
	f->data[1] = (uint8_t)(n >> 16);
	f->data[2] = (uint8_t)(n >> 8);
	f->data[3] = (uint8_t)n;
	memcpy(f->data + 4, text, n);
	free(text);
	return f;
}

void ctl_conn_push_locked(ctl_conn *c, ctl_frame *f, int position)
{
	if (c->dead) {
		g_free(f);
		return;
	}
	if (position < 0 || (guint)position >= c->out.length)
		g_queue_push_tail(&c->out, f);
	else
		g_queue_push_nth(&c->out, f, position);
	c->out_bytes += f->len;
}

bool ctl_conn_has_output(ctl_conn *c)
{
	ctl_lock();
	bool r = c->out.length > 0;
	ctl_unlock();
	return r;
}

/* c stops being the app's connection (it may still flush what is queued). */
static void detach_active_locked(ctl_conn *c)
{
	if (ctl.active == c) {
		ctl.active = NULL;
		ctl.silent_since = 0;
		g_atomic_int_set(&ctl.connected, 0);
		g_strfreev(ctl.wants);
		ctl.wants = NULL;
		ctl_fail_pending_locked("NotConnected", "janus-ts: no control app connected (it disconnected before answering)");
	}
}

void ctl_conn_kill_locked(ctl_conn *c, int level, const char *why)
{
	if (c->dead)
		return;
	c->dead = true;
	if (why != NULL)
		JANUS_LOG(level, "janus-ts control: connection %" G_GUINT64_FORMAT ": %s\n", c->serial, why);
	detach_active_locked(c);
}

void ctl_conn_notice(ctl_conn *c, int level, const char *reason)
{
	if (++c->ignored == 1)
		JANUS_LOG(level, "janus-ts control: connection %" G_GUINT64_FORMAT ": %s (told the app; more of these "
			"are counted, not logged)\n", c->serial, reason);
	json_t *msg = json_pack("{sss{ss}}", "event", "protocolError", "params", "reason", reason);
	ctl_frame *f = msg ? ctl_frame_encode(msg) : NULL;
	json_decref(msg);
	ctl_lock();
	if (f == NULL || c->dead || c->out_bytes + f->len > ctl.queue_bytes) {
		g_free(f);
		ctl_count_drop();
	} else {
		ctl_conn_push_locked(c, f, -1);
	}
	ctl_unlock();
}

/* control_max_rate: takes one frame's token; false (throttled, logged once per connection)
 * when the bucket is empty. */
static bool take_token(ctl_conn *c)
{
	if (ctl.max_rate == 0)
		return true;
	gint64 now = g_get_monotonic_time();
	c->tokens = MIN((double)ctl.max_rate, c->tokens + (double)(now - c->refilled) * ctl.max_rate / 1e6);
	c->refilled = now;
	if (c->tokens >= 1) {
		c->tokens -= 1;
		c->throttled = false;
		return true;
	}
	if (!c->throttled) {
		ctl_lock();
		bool first = ctl.n.throttled++ == 0;
		ctl_unlock();
		if (first)
			JANUS_LOG(LOG_WARN, "janus-ts control: connection %" G_GUINT64_FORMAT " sends more than control_max_rate "
				"(%u) frames a second: they are read more slowly (logged once)\n", c->serial, ctl.max_rate);
	}
	c->throttled = true;
	return false;
}

gint64 ctl_conn_throttle_until(ctl_conn *c, gint64 now)
{
	if (!c->throttled || ctl.max_rate == 0)
		return 0;
	double missing = 1 - (c->tokens + (double)(now - c->refilled) * ctl.max_rate / 1e6);
	return missing <= 0 ? 0 : now + (gint64)(missing * 1e6 / ctl.max_rate) + 1;
}

/* Writes queued frames until the socket would block, up to WRITE_BATCH frames per
 * sendmsg(). Frames stay queued (and count against the limit) until fully written. */
#define WRITE_BATCH 64
void ctl_conn_flush(ctl_conn *c)
{
	ctl_lock();
	while (!c->dead && c->out.length > 0) {
		struct iovec iov[WRITE_BATCH];
		int n = 0;
		for (GList *l = c->out.head; l != NULL && n < WRITE_BATCH; l = l->next, n++) {
			ctl_frame *f = l->data;
			iov[n].iov_base = f->data + f->off;
			iov[n].iov_len = f->len - f->off;
		}
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				ctl_conn_kill_locked(c, LOG_WARN, "write failed, connection closed");
			break;
		}
		size_t left = (size_t)w;
		while (left > 0) {	/* retire what was written, the last one maybe in part */
			ctl_frame *f = g_queue_peek_head(&c->out);
			size_t rest = f->len - f->off;
			if (left < rest) {
				f->off += left;
				break;
			}
			left -= rest;
			g_queue_pop_head(&c->out);
			c->out_bytes -= f->len;
			ctl.n.frames_out++;
			g_free(f);
		}
		if ((size_t)w < iov_total(iov, n))
			break;	/* the socket is full */
	}
	ctl_unlock();
}

/* A frame that breaks the framing: the app is told why (protocolError), then the connection
 * is closed once that is flushed; it stops being the app's connection at once. */
static void bad_frame(ctl_conn *c, const char *what)
{
	char *why = g_strdup_printf("protocol error: %s; the connection is closed", what);
	ctl_lock();
	ctl.n.bad_frames++;
	detach_active_locked(c);
	ctl_unlock();
	ctl_conn_notice(c, LOG_WARN, why);
	ctl_lock();
	c->closing = true;
	c->since = g_get_monotonic_time();
	ctl_unlock();
	g_free(why);
}

/* Hands every complete frame in c->in to on_message; false once the connection is dead. */
static bool parse_frames(ctl_conn *c, ctl_message_fn on_message)
{
	size_t pos = 0;
	while (!c->dead && !c->closing && c->in->len - pos >= 4) {
		const uint8_t *h = c->in->data + pos;
		uint32_t n = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
		if (n == 0) {
			bad_frame(c, "zero-length frame");
			break;
		}
		if (n > ctl.max_frame) {
			char *what = g_strdup_printf("frame of %u bytes is over control_max_frame (%zu)", n, ctl.max_frame);
			bad_frame(c, what);
			g_free(what);
			break;
		}
		if (c->in->len - pos - 4 < n || !take_token(c))
			break;
		json_error_t err;
		json_t *msg = json_loadb((const char *)h + 4, n, JSON_REJECT_DUPLICATES, &err);
		pos += 4 + n;
		ctl_lock();
		ctl.n.frames_in++;
		ctl_unlock();
		if (msg == NULL || !json_is_object(msg)) {
			char *what = msg == NULL ? g_strdup_printf("bad JSON (%s)", err.text)
				: g_strdup("frame is not a JSON object");
			json_decref(msg);
			bad_frame(c, what);
			g_free(what);
			break;
		}
		on_message(c, msg);
		json_decref(msg);
	}
	if (pos > 0 && !c->dead)
		g_byte_array_remove_range(c->in, 0, (guint)pos);
	return !c->dead;
}

/* Frames left by a throttled read first; then reads while the connection may be read and
 * what is buffered is less than one largest frame and a chunk. */
void ctl_conn_read(ctl_conn *c, ctl_message_fn on_message)
{
	uint8_t buf[READ_CHUNK];
	size_t total = 0;
	if (!parse_frames(c, on_message))
		return;
	while (!c->dead && !c->closing && !c->throttled && total < READ_BUDGET &&
			c->in->len < ctl.max_frame + 4 + READ_CHUNK) {
		ssize_t r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r <= 0) {
			ctl_lock();
			if (r == 0)
				ctl_conn_kill_locked(c, LOG_INFO, "closed by the app");
			else
				ctl_conn_kill_locked(c, LOG_WARN, "read failed, connection closed");
			ctl_unlock();
			break;
		}
		total += (size_t)r;
		g_byte_array_append(c->in, buf, (guint)r);
		if (!parse_frames(c, on_message))
			break;
	}
}
