/* control_server.c — ts_control_start/stop and the control thread: one poll loop over
 * the listening Unix socket, the wakeup eventfd, every connection and the supervised
 * app's output pipes. */
#define _GNU_SOURCE	/* accept4, struct ucred */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "control_internal.h"
#include "../log.h"

/* Why the socket could not be created (*cause, g_free it) and what to do (*hint). */
static void explain(const char *path, int err, char **cause, const char **hint)
{
	char *dir = g_path_get_dirname(path);
	if (err == ENOENT || err == ENOTDIR) {
		*cause = g_strdup_printf("%s: the folder %s does not exist", g_strerror(err), dir);
		*hint = "create it (Debian's janus-ts package has systemd create /run/janus for janus.service), "
			"or set control_socket to a path in an existing folder";
	} else if (err == EACCES || err == EPERM || err == EROFS) {
		*cause = g_strdup_printf("%s: Janus (uid %d) cannot create files in %s", g_strerror(err), (int)geteuid(), dir);
		*hint = "let Janus's user write there, or set control_socket to a path in a folder it can write";
	} else {
		*cause = g_strdup(g_strerror(err));
		*hint = "set control_socket to a path in a folder Janus can write";
	}
	g_free(dir);
}

/* The socket's folder (after symlinks) must belong to Janus's user or root and must not be
 * writable by other users unless it has the sticky bit (like /tmp): else someone else could
 * replace the socket with their own and receive the app's hello and token. A folder that does
 * not exist is left to bind() to report. -1 with *cause and *hint when it fails. */
static int check_folder(const char *path, char **cause, const char **hint)
{
	char *dir = g_path_get_dirname(path);
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (st.st_uid != geteuid() && st.st_uid != 0) {
			*cause = g_strdup_printf("the folder %s belongs to uid %d, neither Janus's user (uid %d) nor root",
				dir, (int)st.st_uid, (int)geteuid());
			*hint = "use a folder owned by Janus's user or root, such as /run/janus";
			rc = -1;
		} else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
			*cause = g_strdup_printf("the folder %s (mode %04o) can be written by other users and has no sticky bit: "
				"they could replace the socket", dir, (unsigned)(st.st_mode & 07777));
			*hint = "remove group and other write permission from it (chmod go-w), or use a folder such as /run/janus";
			rc = -1;
		}
	}
	g_free(dir);
	return rc;
}

/* The listening socket, or -1 with *cause (g_free it) and *hint set. */
static int listen_on(const char *path, unsigned int mode, char **cause, const char **hint)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		*cause = g_strdup_printf("the path is longer than a Unix socket path can be (%zu bytes)", sizeof(addr.sun_path) - 1);
		*hint = "set a shorter control_socket";
		return -1;
	}
	strcpy(addr.sun_path, path);
	if (check_folder(path, cause, hint) < 0)
		return -1;
	struct stat st;
	if (lstat(path, &st) == 0) {	/* a stale socket from a previous run */
		if (!S_ISSOCK(st.st_mode)) {
			*cause = g_strdup("it exists and is not a socket");
			*hint = "remove it, or set control_socket to another path";
			return -1;
		}
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* listen() only after chmod: nobody can connect during the umask window */
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, mode) < 0 ||
			listen(fd, 8) < 0) {
		explain(path, errno, cause, hint);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Whether the peer of fd may connect (control_allowed_uids; by default Janus's user and
 * root); the peer is kept in *cred. A refusal is counted and logged at most once a second. */
static bool peer_allowed(int fd, struct ucred *cred)
{
	static ts_ratelimit log;
	socklen_t len = sizeof(*cred);
	bool ok = false;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, &len) == 0) {
		if (ctl.n_allowed_uids == 0)
			ok = cred->uid == geteuid() || cred->uid == 0;
		for (unsigned i = 0; i < ctl.n_allowed_uids && !ok; i++)
			ok = cred->uid == ctl.allowed_uids[i];
	}
	if (ok)
		return true;
	ctl_lock();
	ctl.n.refused_peers++;
	ctl_unlock();
	uint64_t n = ts_ratelimit_allow(&log, g_get_monotonic_time() / 1000, 1000);
	if (n)
		JANUS_LOG(LOG_WARN, "janus-ts control: refused a connection from uid %d (pid %d): not an allowed user "
			"(control_allowed_uids; %" PRIu64 " refused since the last line)\n", (int)cred->uid, (int)cred->pid, n);
	return false;
}

static void accept_all(void)
{
	for (;;) {
		int fd = accept4(ctl.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				JANUS_LOG(LOG_WARN, "janus-ts control: accept: %s\n", g_strerror(errno));
			return;
		}
		struct ucred cred = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
		if (!peer_allowed(fd, &cred)) {
			close(fd);
			continue;
		}
		if (ctl.conns->len >= CTL_MAX_CONNS) {
			JANUS_LOG(LOG_WARN, "janus-ts control: too many control connections, refused\n");
			close(fd);
			continue;
		}
		ctl_conn *c = ctl_conn_new(fd);
		c->uid = cred.uid;
		c->pid = cred.pid;
		g_ptr_array_add(ctl.conns, c);
		ctl_lock();
		ctl.n.connections++;
		ctl_unlock();
		JANUS_LOG(LOG_VERB, "janus-ts control: connection %" G_GUINT64_FORMAT " accepted (uid %d, pid %d)\n",
			c->serial, (int)c->uid, (int)c->pid);
	}
}

/* Closes connections that are dead, that never said hello, or that were refused and
 * had their answer flushed (or would not read it). */
static void sweep(gint64 now)
{
	for (guint i = 0; i < ctl.conns->len;) {
		ctl_conn *c = ctl.conns->pdata[i];
		ctl_lock();
		if (!c->dead && c->closing && (c->out.length == 0 || now - c->since > CTL_CLOSING_GRACE_US))
			ctl_conn_kill_locked(c, LOG_VERB, "closed (refused hello, or protocol error)");
		else if (!c->dead && !c->authed && !c->closing && now - c->since > CTL_HELLO_TIMEOUT_US)
			ctl_conn_kill_locked(c, LOG_WARN, "no hello in time, closed");
		bool dead = c->dead;
		ctl_unlock();
		if (dead) {
			g_ptr_array_remove_index_fast(ctl.conns, i);
			ctl_conn_free(c);
		} else {
			i++;
		}
	}
}

/* While stopping: whether to finish now ("destroy" flushed everywhere and the app hung up
 * after running its destroy callback, or the deadline). */
static bool stop_now(gint64 now)
{
	bool pending_out = false;
	for (guint i = 0; i < ctl.conns->len; i++)
		pending_out |= ctl_conn_has_output(ctl.conns->pdata[i]);
	return (!pending_out && !g_atomic_int_get(&ctl.connected)) || now > ctl.stop_deadline;
}

/* The poll set: wake fd, listening socket, connections [*first, *last), the app's pipes. */
static int poll_set(struct pollfd *fds, ctl_conn **owner, int max, bool stopping, int *first, int *last)
{
	int n = 0;
	fds[n] = (struct pollfd){ .fd = ctl.wake_fd, .events = POLLIN };
	owner[n++] = NULL;
	if (!stopping) {
		fds[n] = (struct pollfd){ .fd = ctl.listen_fd, .events = POLLIN };
		owner[n++] = NULL;
	}
	*first = n;
	for (guint i = 0; i < ctl.conns->len; i++) {
		ctl_conn *c = ctl.conns->pdata[i];
		/* while stopping, the app's last frames and its hangup are still read */
		short ev = (c->closing || c->throttled || (stopping && !c->authed)) ? 0 : POLLIN;
		if (ctl_conn_has_output(c))
			ev |= POLLOUT;
		fds[n] = (struct pollfd){ .fd = c->fd, .events = ev };
		owner[n++] = c;
	}
	*last = n;
	return n + ctl_app_pollfds(fds + n, max - n);
}

/* When the next throttled connection may be read again (0 = none is throttled). */
static gint64 next_unthrottle(gint64 now)
{
	gint64 next = 0;
	for (guint i = 0; i < ctl.conns->len; i++) {
		gint64 t = ctl_conn_throttle_until(ctl.conns->pdata[i], now);
		if (t > 0 && (next == 0 || t < next))
			next = t;
	}
	return next;
}

static void serve_conns(struct pollfd *fds, ctl_conn **owner, int first, int last)
{
	gint64 now = g_get_monotonic_time();
	for (int i = first; i < last; i++) {
		ctl_conn *c = owner[i];
		bool refilled = c->throttled && !c->closing && ctl_conn_throttle_until(c, now) == 0;
		if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) || refilled)
			ctl_conn_read(c, ctl_handle_message);
		ctl_conn_flush(c);	/* also writes what was queued by the read */
		if ((fds[i].revents & (POLLHUP | POLLERR)) && !(fds[i].revents & POLLIN)) {
			ctl_lock();
			ctl_conn_kill_locked(c, LOG_INFO, "hung up");
			ctl_unlock();
		}
	}
}

/* Shutdown: close every connection, fail what still waits. */
static void close_all(void)
{
	ctl_lock();
	for (guint i = 0; i < ctl.conns->len; i++)
		ctl_conn_kill_locked(ctl.conns->pdata[i], LOG_VERB, "plugin stopping");
	ctl_fail_pending_locked("NotConnected", "janus-ts: no control app connected (the plugin is stopping)");
	ctl_unlock();
	sweep(g_get_monotonic_time());
}

static gpointer control_thread(gpointer data)
{
	ctl_mark_control_thread();
	struct pollfd fds[2 + CTL_MAX_CONNS + 2];
	ctl_conn *owner[G_N_ELEMENTS(fds)];
	for (;;) {
		gint64 now = g_get_monotonic_time();
		bool stopping = g_atomic_int_get(&ctl.stopping);
		if (stopping && stop_now(now))
			break;
		int first_conn, last_conn;
		int n = poll_set(fds, owner, (int)G_N_ELEMENTS(fds), stopping, &first_conn, &last_conn);
		int timeout = 250;	/* hello timeouts, closing grace, app restarts */
		gint64 next = ctl_app_next_deadline(), unthrottle = next_unthrottle(now);
		if (next > 0)
			timeout = (int)CLAMP((next - now) / 1000 + 1, 0, timeout);
		if (unthrottle > 0)
			timeout = (int)CLAMP((unthrottle - now) / 1000 + 1, 0, timeout);
		if (poll(fds, n, timeout) < 0 && errno != EINTR) {
			JANUS_LOG(LOG_ERR, "janus-ts control: poll: %s\n", g_strerror(errno));
			g_usleep(100000);
			continue;
		}
		if (fds[0].revents & POLLIN) {
			uint64_t v;
			while (read(ctl.wake_fd, &v, sizeof(v)) > 0)
				;
		}
		if (!stopping && (fds[1].revents & POLLIN))
			accept_all();
		serve_conns(fds, owner, first_conn, last_conn);
		ctl_app_handle(fds + last_conn, n - last_conn);
		now = g_get_monotonic_time();
		sweep(now);
		if (!stopping)
			ctl_app_tick(now);
	}
	close_all();
	return NULL;
}

/* Logs that app_command is not started (when there is one) because of `why`. */
static void app_not_started(const ts_control_config *cfg, const char *why)
{
	if (cfg->app_command != NULL && cfg->app_command[0] != '\0')
		JANUS_LOG(LOG_ERR, "janus-ts control: app_command not started: %s\n", why);
}

/* A jcfg with invalid values, or no control_socket: no socket, no app (logged, and kept as
 * the reason requests fail with). Returns 1 when it is one of those, with *rc set. */
static int not_served(const ts_control_config *cfg, int *rc)
{
	if (cfg->config_error != NULL) {
		JANUS_LOG(LOG_ERR, "janus-ts control: no control socket opened because of the invalid "
			"janus.plugin.ts.jcfg values above: fix them and restart Janus\n");
		app_not_started(cfg, "invalid janus.plugin.ts.jcfg values");
		ctl_set_down_reason("janus-ts: not available: %s", cfg->config_error);
		*rc = -1;
		return 1;
	}
	if (cfg->socket_path == NULL || cfg->socket_path[0] == '\0') {
		JANUS_LOG(LOG_WARN, "janus-ts control: no control_socket configured, no app can connect\n");
		app_not_started(cfg, "no control_socket configured for it to connect to");
		ctl_set_down_reason("janus-ts: no control app connected (no control_socket configured in janus.plugin.ts.jcfg)");
		*rc = 0;
		return 1;
	}
	return 0;
}

static void keep_config(const ts_control_config *cfg)
{
	ctl.socket_path = g_strdup(cfg->socket_path);
	ctl.token = cfg->token && cfg->token[0] ? g_strdup(cfg->token) : NULL;
	ctl.app_config = g_strdup(cfg->app_config);
	ctl.app_command = cfg->app_command && cfg->app_command[0] ? g_strdup(cfg->app_command) : NULL;
	ctl.socket_mode = cfg->socket_mode ? cfg->socket_mode : 0600;
	ctl.n_allowed_uids = MIN(cfg->n_allowed_uids, G_N_ELEMENTS(ctl.allowed_uids));
	for (unsigned i = 0; i < ctl.n_allowed_uids; i++)
		ctl.allowed_uids[i] = cfg->allowed_uids[i];
	ctl.max_rate = cfg->max_rate;
	ctl.max_frame = cfg->max_frame ? cfg->max_frame : 1024 * 1024;
	ctl.queue_bytes = cfg->queue_bytes ? cfg->queue_bytes : 8 * 1024 * 1024;
	ctl.message_timeout_ms = cfg->message_timeout_ms > 0 ? cfg->message_timeout_ms : 5000;
	ctl.query_timeout_ms = cfg->query_timeout_ms > 0 ? cfg->query_timeout_ms : 1000;
	ctl.setup_timeout_ms = cfg->setup_timeout_ms > 0 ? cfg->setup_timeout_ms : 0;
	ctl.pending = g_hash_table_new(NULL, NULL);
	ctl.conns = g_ptr_array_new();
	ctl.next_id = 0;
	memset(&ctl.n, 0, sizeof(ctl.n));
	g_atomic_int_set(&ctl.stopping, 0);
}

/* The wakeup eventfd and the listening socket; -1 with why and what to do logged. */
static int open_socket(const ts_control_config *cfg)
{
	ctl.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	char *cause = NULL;
	const char *hint = "";
	if (ctl.wake_fd < 0) {
		cause = g_strdup_printf("eventfd: %s", g_strerror(errno));
		hint = "see the system's limits on open files";
	} else {
		ctl.listen_fd = listen_on(ctl.socket_path, ctl.socket_mode, &cause, &hint);
	}
	if (ctl.listen_fd >= 0)
		return 0;
	JANUS_LOG(LOG_ERR, "janus-ts control: cannot create the control socket %s: %s. What to do: %s; "
		"then restart Janus\n", cfg->socket_path, cause, hint);
	app_not_started(cfg, "there is no control socket for it to connect to");
	ts_control_stop();
	ctl_set_down_reason("janus-ts: no control app: the control socket %s could not be created (%s)",
		cfg->socket_path, cause);
	g_free(cause);
	return -1;
}

int ts_control_start(const ts_control_config *cfg)
{
	if (ctl.thread != NULL || cfg == NULL)
		return -1;
	ctl_set_down_reason(NULL);
	int rc = 0;
	if (not_served(cfg, &rc))
		return rc;
	keep_config(cfg);
	if (open_socket(cfg) < 0)
		return -1;
	ctl_set_down_reason(ctl.app_command ? "janus-ts: no control app connected (app_command is starting)"
		: "janus-ts: no control app connected (no app_command is configured: start your app with "
		"janus-ts run APP --socket %s)", ctl.socket_path);
	ctl_app_init();
	GError *err = NULL;
	ctl.thread = g_thread_try_new("janus-ts ctl", control_thread, NULL, &err);
	if (ctl.thread == NULL) {
		JANUS_LOG(LOG_ERR, "janus-ts control: cannot start its thread: %s\n", err ? err->message : "?");
		g_clear_error(&err);
		ts_control_stop();
		return -1;
	}
	JANUS_LOG(LOG_INFO, "janus-ts control: listening on %s (mode %04o)%s\n", ctl.socket_path,
		ctl.socket_mode, ctl.app_command ? ", supervising app_command" : "");
	return 0;
}

void ts_control_stop(void)
{
	if (ctl.thread != NULL) {
		ts_control_notify("destroy", json_object());
		ctl.stop_deadline = g_get_monotonic_time() + CTL_STOP_FLUSH_US;
		g_atomic_int_set(&ctl.stopping, 1);
		ctl_wake();
		g_thread_join(ctl.thread);
		ctl.thread = NULL;
		ctl_app_stop();
	}
	if (ctl.listen_fd >= 0) {
		close(ctl.listen_fd);
		unlink(ctl.socket_path);
		ctl.listen_fd = -1;
	}
	ctl_lock();
	if (ctl.wake_fd >= 0)
		close(ctl.wake_fd);
	ctl.wake_fd = -1;
	if (ctl.pending != NULL)
		g_hash_table_destroy(ctl.pending);
	ctl.pending = NULL;
	ctl_unlock();
	if (ctl.conns != NULL)
		g_ptr_array_free(ctl.conns, TRUE);
	ctl.conns = NULL;
	g_clear_pointer(&ctl.socket_path, g_free);
	g_clear_pointer(&ctl.token, g_free);
	g_clear_pointer(&ctl.app_config, g_free);
	g_clear_pointer(&ctl.app_command, g_free);
	ctl_set_down_reason(NULL);
}
