/* ctl_client.h — a tiny client of the control socket (docs/control-protocol.md): 4-byte
 * big-endian length + JSON frames, hello, requests with ids, notifications. It plays the
 * app for the benchmark: sets valves and routes, learns session ids from createSession
 * notifications, and answers handleMessage (ping → reply, async → ack then pushEvent). */
#ifndef JANUS_TS_BENCH_CTL_CLIENT_H
#define JANUS_TS_BENCH_CTL_CLIENT_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

typedef struct ctl_client ctl_client;

/* Connects (retrying up to timeout_ms while the socket appears) and says hello. */
ctl_client *ctl_connect(const char *path, int timeout_ms);
void ctl_close(ctl_client *c);
/* A request; returns the result (new ref) or NULL with the error logged. Steals params. */
json_t *ctl_request(ctl_client *c, const char *method, json_t *params);
/* Next createSession id notified by the plugin (0 on timeout). */
uint32_t ctl_next_created(ctl_client *c, int timeout_ms);

#endif
