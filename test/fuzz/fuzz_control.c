/* fuzz_control.c — libFuzzer target: the control socket's reader and message handling
 * (host-c/control/: frame reassembly, JSON, hello, the method table and its parameter
 * checks), down into the real core (sessions, routes, injected packets, recordings, the
 * router). The input is what an app writes on its connection; the plugin's answers are read
 * and thrown away. Input byte 0 bit 0: a valid hello (with the token) goes first, so most
 * inputs reach the methods. The target's three sessions are attached at start with a fixed
 * random seed, so their ids are the same in every run (FUZZ_LOG=4 prints them; the seed
 * corpus and the dictionary use them). After each input the sessions are reset (routes,
 * valves, recordings as at start), so an input replays the same on its own. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "../../host-c/control/control_internal.h"
#include "fuzz_env.h"

#define TOKEN "fuzz-token"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_plugin();
	for (int i = 0; i < FUZZ_HANDLES; i++) fuzz_handle(i);
	fuzz_reset_media();
	if (janus_log_level >= LOG_INFO)
		for (int i = 0; i < FUZZ_HANDLES; i++) JANUS_LOG(LOG_INFO, "fuzz: session %d has id %u\n", i, fuzz_id(i));
	/* The control state ts_control_start() would set up, without its thread and socket:
	 * this target drives a connection itself. */
	ctl.max_frame = 16384;
	ctl.queue_bytes = 65536;
	ctl.token = g_strdup(TOKEN);
	ctl.app_config = g_strdup("{}");
	ctl.message_timeout_ms = 100;
	ctl.query_timeout_ms = 100;
	ctl.pending = g_hash_table_new(NULL, NULL);
	return 0;
}

static void frame(int fd, const char *json)
{
	uint32_t n = (uint32_t)strlen(json);
	uint8_t h[4] = { n >> 24, n >> 16, n >> 8, n };
	if (write(fd, h, 4) != 4 || write(fd, json, n) != (ssize_t)n) abort();
}

static void drain(int fd)
{
	char buf[65536];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0) abort();
	ctl_conn *c = ctl_conn_new(sv[0]);
	if (data[0] & 1) frame(sv[1], "{\"id\":1,\"method\":\"hello\",\"params\":{\"protocol\":1,\"token\":\"" TOKEN "\"}}");
	size_t off = 1;
	for (int idle = 0; idle < 3 && !c->dead;) {
		ssize_t w = off < size ? write(sv[1], data + off, size - off) : 0;
		if (w > 0) off += (size_t)w;
		else if (w < 0 && errno != EAGAIN) abort();
		ctl_conn_read(c, ctl_handle_message);
		ctl_conn_flush(c);
		drain(sv[1]);
		idle = (w <= 0) ? idle + 1 : 0;
		if (c->closing) break;
	}
	ctl_lock();
	ctl_conn_kill_locked(c, LOG_VERB, NULL);
	ctl_unlock();
	ctl_conn_free(c);
	close(sv[1]);
	fuzz_reset_media();	/* what the methods changed */
	return 0;
}
