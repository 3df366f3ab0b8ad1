/* contender_null.c — the harness's own cost: a plugin whose incoming_rtp does nothing.
 * Its ns per incoming packet (packet generation, extensions reset, the indirect call) is
 * included in every contender's figure; subtract it to compare plugins alone. */
#include "bench.h"

static int api(void) { return JANUS_PLUGIN_API_VERSION; }
static void incoming_rtp(janus_plugin_session *ps, janus_plugin_rtp *p) {}
static janus_plugin null_plugin = { .get_api_compatibility = api, .incoming_rtp = incoming_rtp };

static bool attach(contender *c, bench_handle *h) { h->id = (uint64_t)h->idx + 1; return true; }
static bool publish(contender *c, bench_handle *h) { return true; }
static bool subscribe(contender *c, bench_handle *pub, bench_handle *sub) { return true; }
static void detach(contender *c, bench_handle *h) {}

contender *contender_null_new(void) {
	contender *c = g_malloc0(sizeof(*c));
	c->name = "null";
	c->plugin = &null_plugin;
	c->attach = attach;
	c->publish = publish;
	c->subscribe = subscribe;
	c->detach = detach;
	return c;
}
