/* control_server.c — minimal placeholder implementing ts_control.h; grows into the
 * real socket server. */
#include "../ts_control.h"
#include <glib.h>

int ts_control_start(const ts_control_config *cfg) { return 0; }
void ts_control_stop(void) {}
void ts_control_notify(const char *event, json_t *params) { if (params) json_decref(params); }
json_t *ts_control_request(const char *method, json_t *params, int timeout_ms,
	const char **error_kind, char **reason)
{
	if (params) json_decref(params);
	if (error_kind) *error_kind = "NotConnected";
	if (reason) *reason = g_strdup("janus-ts: no control app connected");
	return NULL;
}
bool ts_control_wants(const char *callback) { return false; }
bool ts_control_connected(void) { return false; }
int ts_control_message_timeout_ms(void) { return 5000; }
int ts_control_query_timeout_ms(void) { return 1000; }
json_t *ts_control_stats(void) { return json_pack("{sb}", "connected", 0); }
