/* control_supervisor.c — runs app_command (`sh -c`) as the control app, in its own
 * process group, with JANUS_TS_SOCKET / JANUS_TS_TOKEN in its environment; forwards
 * its stdout/stderr lines to the Janus log; restarts it when it exits, with backoff
 * (0.5 s doubling up to 30 s, back to 0.5 s after a run of 60 s). Driven by the
 * control thread; ctl_app_stop() runs after that thread has been joined. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib-unix.h>
#include "control_internal.h"

#define BACKOFF_MIN_US	(G_USEC_PER_SEC / 2)
#define BACKOFF_MAX_US	(30 * G_USEC_PER_SEC)
#define STABLE_RUN_US	(60 * G_USEC_PER_SEC)
#define KILL_AFTER_US	(2 * G_USEC_PER_SEC)
#define MAX_LINE	4096

static struct {
	GPid pid;		/* 0 = not running */
	int fd[2];		/* stdout, stderr read ends; -1 = closed */
	GString *line[2];
	gint64 started, next_start, backoff;
	guint64 connections_at_start;	/* ctl.n.connections when it was started */
	char last_exit[160];		/* how the previous run ended, for clients; "" = none */
} app = { .fd = { -1, -1 } };

static void child_setup(gpointer data)
{
	setsid();	/* own process group: stop() signals `sh` and whatever it started */
}

void ctl_app_init(void)
{
	app.pid = 0;
	app.backoff = BACKOFF_MIN_US;
	app.next_start = ctl.app_command ? g_get_monotonic_time() : 0;
	app.last_exit[0] = '\0';
	for (int i = 0; i < 2; i++) {
		app.fd[i] = -1;
		if (app.line[i] == NULL)
			app.line[i] = g_string_new(NULL);
		g_string_truncate(app.line[i], 0);
	}
}

static void spawn(gint64 now)
{
	char *argv[] = { "/bin/sh", "-c", ctl.app_command, NULL };
	char **env = g_get_environ();
	env = g_environ_setenv(env, "JANUS_TS_SOCKET", ctl.socket_path, TRUE);
	if (ctl.token != NULL)
		env = g_environ_setenv(env, "JANUS_TS_TOKEN", ctl.token, TRUE);
	GError *err = NULL;
	int out = -1, errfd = -1;
	if (!g_spawn_async_with_pipes(NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
			&app.pid, NULL, &out, &errfd, &err)) {
		JANUS_LOG(LOG_ERR, "janus-ts app: cannot start '%s': %s\n", ctl.app_command, err->message);
		ctl_set_down_reason("janus-ts: no control app: app_command could not be started (%s); retrying in %.1f s",
			err->message, app.backoff / 1e6);
		g_clear_error(&err);
		app.pid = 0;
		app.next_start = now + app.backoff;
		app.backoff = MIN(app.backoff * 2, BACKOFF_MAX_US);
	} else {
		JANUS_LOG(LOG_INFO, "janus-ts app: started '%s' (pid %d)\n", ctl.app_command, (int)app.pid);
		app.fd[0] = out;
		app.fd[1] = errfd;
		g_unix_set_fd_nonblocking(out, TRUE, NULL);
		g_unix_set_fd_nonblocking(errfd, TRUE, NULL);
		app.started = now;
		app.next_start = 0;
		g_mutex_lock(&ctl.lock);
		ctl.n.app_starts++;
		app.connections_at_start = ctl.n.connections;
		g_mutex_unlock(&ctl.lock);
		ctl_set_down_reason("janus-ts: no control app connected (app_command runs as pid %d but is not connected%s%s)",
			(int)app.pid, app.last_exit[0] ? "; its previous run " : "", app.last_exit);
	}
	g_strfreev(env);
}

int ctl_app_pollfds(struct pollfd *fds, int max)
{
	int n = 0;
	for (int i = 0; i < 2 && n < max; i++)
		if (app.fd[i] >= 0)
			fds[n++] = (struct pollfd){ .fd = app.fd[i], .events = POLLIN };
	return n;
}

static void emit(int which, const char *text, size_t len)
{
	int level = which ? LOG_WARN : LOG_INFO;
	JANUS_LOG(level, "[app%s] %.*s\n", which ? ":stderr" : "", (int)len, text);
}

static void drain(int which)
{
	char buf[4096];
	GString *line = app.line[which];
	for (;;) {
		ssize_t r = read(app.fd[which], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0) {	/* EOF: the app closed it (or exited) */
			if (line->len > 0)
				emit(which, line->str, line->len);
			g_string_truncate(line, 0);
			close(app.fd[which]);
			app.fd[which] = -1;
			return;
		}
		g_string_append_len(line, buf, r);
		char *nl;
		while ((nl = memchr(line->str, '\n', line->len)) != NULL) {
			emit(which, line->str, (size_t)(nl - line->str));
			g_string_erase(line, 0, nl - line->str + 1);
		}
		if (line->len >= MAX_LINE) {
			emit(which, line->str, line->len);
			g_string_truncate(line, 0);
		}
	}
}

void ctl_app_handle(struct pollfd *fds, int n)
{
	for (int i = 0; i < n; i++) {
		if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		for (int w = 0; w < 2; w++)
			if (app.fd[w] == fds[i].fd)
				drain(w);
	}
}

static void reaped(int status, gint64 now)
{
	char how[48] = "exited";
	if (WIFEXITED(status))
		g_snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		g_snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(status));
	JANUS_LOG(LOG_WARN, "janus-ts app: %s\n", how);
	kill(-app.pid, SIGTERM);	/* what `sh -c` left running in its group */
	g_spawn_close_pid(app.pid);
	app.pid = 0;
	g_mutex_lock(&ctl.lock);
	ctl.n.app_exits++;
	bool never_connected = ctl.n.connections == app.connections_at_start;
	g_mutex_unlock(&ctl.lock);
	double ran = (now - app.started) / 1e6;
	if (never_connected)
		JANUS_LOG(LOG_ERR, "janus-ts app: app_command %s %.1f s after its start, without connecting to %s: "
			"check the command and its output above ([app] lines)\n", how, ran, ctl.socket_path);
	if (now - app.started >= STABLE_RUN_US)
		app.backoff = BACKOFF_MIN_US;
	app.next_start = now + app.backoff;
	JANUS_LOG(LOG_INFO, "janus-ts app: restarting in %.1f s\n", app.backoff / 1e6);
	g_snprintf(app.last_exit, sizeof(app.last_exit), "%s %.1f s after its start%s", how, ran,
		never_connected ? ", without connecting" : "");
	ctl_set_down_reason("janus-ts: no control app connected (app_command %s; restarting in %.1f s; "
		"its output is in Janus's log)", app.last_exit, app.backoff / 1e6);
	app.backoff = MIN(app.backoff * 2, BACKOFF_MAX_US);
}

void ctl_app_tick(gint64 now)
{
	if (ctl.app_command == NULL)
		return;
	if (app.pid > 0) {
		int status;
		pid_t r = waitpid(app.pid, &status, WNOHANG);
		if (r == app.pid || (r < 0 && errno == ECHILD))
			reaped(r == app.pid ? status : 0, now);
	}
	if (app.pid == 0 && app.next_start > 0 && now >= app.next_start) {
		for (int i = 0; i < 2; i++)	/* leftovers of the previous run */
			if (app.fd[i] >= 0)
				drain(i);
		for (int i = 0; i < 2; i++)
			if (app.fd[i] >= 0) {
				close(app.fd[i]);
				app.fd[i] = -1;
			}
		spawn(now);
	}
}

gint64 ctl_app_next_deadline(void)
{
	return app.pid == 0 ? app.next_start : 0;
}

void ctl_app_stop(void)
{
	if (app.pid > 0) {
		/* The whole group: `sh -c` may have children that outlive it. */
		kill(-app.pid, SIGTERM);
		gint64 until = g_get_monotonic_time() + KILL_AFTER_US;
		bool reaped = false;
		int status;
		for (;;) {
			if (!reaped) {
				pid_t r = waitpid(app.pid, &status, WNOHANG);
				reaped = r == app.pid || (r < 0 && errno == ECHILD);
			}
			if (reaped && kill(-app.pid, 0) < 0 && errno == ESRCH)
				break;
			if (g_get_monotonic_time() >= until) {
				JANUS_LOG(LOG_WARN, "janus-ts app: did not exit on SIGTERM, killing it\n");
				kill(-app.pid, SIGKILL);
				if (!reaped)
					waitpid(app.pid, &status, 0);
				break;
			}
			g_usleep(20000);
		}
		g_spawn_close_pid(app.pid);
		app.pid = 0;
	}
	for (int i = 0; i < 2; i++) {
		if (app.fd[i] >= 0) {
			drain(i);
			if (app.fd[i] >= 0)
				close(app.fd[i]);
			app.fd[i] = -1;
		}
		if (app.line[i] != NULL)
			g_string_free(app.line[i], TRUE);
		app.line[i] = NULL;
	}
	app.next_start = 0;
}
