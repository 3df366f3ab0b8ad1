/* messages.h — Janus requests answered by the control app (handleMessage,
 * handleAdminMessage, querySession, setupMedia), with bounded waits. */
#ifndef JANUS_TS_MESSAGES_H
#define JANUS_TS_MESSAGES_H

#include <plugins/plugin.h>

struct janus_plugin_result *ts_handle_message(janus_plugin_session *handle, char *transaction, json_t *message, json_t *jsep);
json_t *ts_handle_admin_message(json_t *message);
json_t *ts_query_session(janus_plugin_session *handle);
void ts_setup_media_ask(uint32_t id);
#endif
