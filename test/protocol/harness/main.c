/* main.c — runs the control server over fake_api.c. Usage:
 *   harness SOCKET [TOKEN] — then each stdin line is "notify N" (N createSession
 *   notifications), "request MS" (a handleMessage request, prints the outcome), "quit". */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "../../../host-c/ts_control.h"
#include <glib.h>

/* "stress MS": 4 threads issue requests (short timeouts) and notifications for MS ms. */
static gint stress_until_ms;
static gpointer stress_thread(gpointer data)
{
	int n = 0, ok = 0;
	while (g_get_monotonic_time() / 1000 < g_atomic_int_get(&stress_until_ms)) {
		const char *kind = NULL; char *reason = NULL;
		json_t *r = ts_control_request("handleMessage", json_pack("{sisss{si}}", "id", 1, "transaction", "s",
			"message", "n", n++), 30, &kind, &reason);
		ok += r != NULL;
		json_decref(r);
		g_free(reason);
		ts_control_notify("slowLink", json_pack("{si}", "id", n));
		(void)ts_control_wants("incomingTextData");
		(void)ts_control_connected();
	}
	return GINT_TO_POINTER(ok);
}

int main(int argc, char **argv)
{
	ts_control_config cfg = { .socket_path = argv[1], .token = argc > 2 ? argv[2] : NULL,
		.app_config = "{\"x\":1}", .queue_bytes = getenv("QUEUE_BYTES") ? strtoul(getenv("QUEUE_BYTES"), NULL, 0) : 4096, .max_frame = 65536,
		.message_timeout_ms = 500, .app_command = getenv("APP_COMMAND") };
	if (ts_control_start(&cfg) != 0)
		return 1;
	char line[256];
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		int n;
		if (sscanf(line, "notify %d", &n) == 1) {
			gint64 t0 = g_get_monotonic_time();
			for (int i = 0; i < n; i++)
				ts_control_notify("createSession", json_pack("{si}", "id", i + 1));
			printf("notified %d in %.0f ns each\n", n, n ? (g_get_monotonic_time() - t0) * 1000.0 / n : 0);
		} else if (sscanf(line, "request %d", &n) == 1) {
			const char *kind = NULL; char *reason = NULL;
			json_t *r = ts_control_request("handleMessage", json_pack("{sisss{}}", "id", 1, "transaction", "t", "message"), n, &kind, &reason);
			char *s = r ? json_dumps(r, JSON_COMPACT) : NULL;
			printf("result %s error %s reason %s\n", s ? s : "-", kind ? kind : "-", reason ? reason : "-");
			free(s); g_free(reason); json_decref(r);
		} else if (sscanf(line, "stress %d", &n) == 1) {
			g_atomic_int_set(&stress_until_ms, (gint)(g_get_monotonic_time() / 1000 + n));
			GThread *t[4];
			for (int i = 0; i < 4; i++) t[i] = g_thread_new("stress", stress_thread, NULL);
			int ok = 0;
			for (int i = 0; i < 4; i++) ok += GPOINTER_TO_INT(g_thread_join(t[i]));
			printf("stress done ok=%d\n", ok);
		} else if (strncmp(line, "stats", 5) == 0) {
			json_t *s = ts_control_stats(); char *t = json_dumps(s, JSON_COMPACT);
			printf("stats %s\n", t); free(t); json_decref(s);
		} else if (strncmp(line, "quit", 4) == 0) {
			break;
		}
	}
	ts_control_stop();
	printf("stopped\n");
	return 0;
}
