/* control_state.c — the control server's shared state (control_internal.h) and what every
 * control file does to it: waking the control thread, failing pending requests. The
 * bottom of control/: it calls nothing else there. */
#include <errno.h>
#include <unistd.h>
#include "control_internal.h"

ctl_state ctl = { .lock = PTHREAD_MUTEX_INITIALIZER, .listen_fd = -1, .wake_fd = -1 };

void ctl_wake(void)
{
	uint64_t one = 1;
	if (ctl.wake_fd >= 0 && write(ctl.wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		JANUS_LOG(LOG_WARN, "janus-ts control: cannot wake the control thread: %s\n", g_strerror(errno));
}

/* Fails every pending plugin → app request (disconnect, replace, stop). */
void ctl_fail_pending_locked(const char *kind, const char *reason)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, ctl.pending);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		ctl_pending *p = value;
		p->done = true;
		p->kind = kind;
		p->reason = g_strdup(reason);
		pthread_cond_signal(&p->cond);
		g_hash_table_iter_remove(&it);
	}
}
