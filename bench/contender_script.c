/* contender_script.c — janus_lua and janus_duktape, each dlopened and driven with the
 * script in bench/scripts (bench.lua / bench.js): the script sets valves and
 * addRecipient on requests sent through handle_message, as an app would. Simulcast as in
 * a real call: the publisher's "pub" carries its JSEP offer with the core's `simulcast`
 * list (the plugin takes the SSRCs from it) and the script answers with a VP8 SDP through
 * pushEvent (the plugin takes the video codec from it); subscribers get setSubstream and
 * setTemporalLayer through a "layer" request. */
#include <string.h>
#include "bench.h"

static bool request(contender *c, bench_handle *h, json_t *msg, json_t **reply) {
	int type = 0;
	json_t *r = bench_message(c, h, msg, NULL, &type);
	if(type != JANUS_PLUGIN_OK || !r) {
		JANUS_LOG(LOG_ERR, "bench[%s]: request on handle %d not answered synchronously (type %d)\n",
			c->name, h->idx, type);
		if(r) json_decref(r);
		return false;
	}
	if(reply) *reply = r; else json_decref(r);
	return true;
}

/* A request the script answers later with pushEvent; *jsep_out receives its JSEP. */
static bool request_event(contender *c, bench_handle *h, json_t *msg, json_t *jsep, json_t **jsep_out) {
	g_mutex_lock(&h->mutex);
	int seen = h->events;
	g_mutex_unlock(&h->mutex);
	int type = 0;
	json_t *r = bench_message(c, h, msg, jsep, &type);
	if(r) json_decref(r);
	if(type != JANUS_PLUGIN_OK_WAIT) return false;
	return bench_wait_event(h, seen, 2000, NULL, jsep_out);
}

static bool simple(contender *c, bench_handle *h, const char *req) {
	return request(c, h, json_pack("{ss}", "request", req), NULL);
}

static bool attach(contender *c, bench_handle *h) {
	int error = 0;
	c->plugin->create_session(&h->ps, &error);
	if(error) {
		JANUS_LOG(LOG_ERR, "bench[%s]: create_session failed (%d)\n", c->name, error);
		return false;
	}
	json_t *r = NULL;
	if(!request(c, h, json_pack("{ss}", "request", "whoami"), &r))
		return false;
	json_t *id = json_object_get(r, "id");
	h->id = json_is_number(id) ? (uint64_t)json_number_value(id) : 0;
	json_decref(r);
	return h->id != 0;
}

static bool publish(contender *c, bench_handle *h) {
	if(!simple(c, h, "pub")) return false;
	c->plugin->setup_media(&h->ps);
	return true;
}

/* The simulcast publisher: "pub" with the offer, answered by a push_event with the
 * script's VP8 answer. */
static bool publish_simulcast(contender *c, bench_handle *h, const uint32_t ssrcs[3]) {
	json_t *jsep = NULL;
	if(!request_event(c, h, json_pack("{ss}", "request", "pub"), bench_publisher_offer(ssrcs), &jsep))
		return false;
	const char *type = json_string_value(json_object_get(jsep, "type"));
	bool answered = type && !strcmp(type, "answer");
	if(jsep) json_decref(jsep);
	if(!answered) {
		JANUS_LOG(LOG_ERR, "bench[%s]: the publisher's offer got no answer\n", c->name);
		return false;
	}
	c->plugin->setup_media(&h->ps);
	return true;
}

/* target < 0: no simulcast layer asked */
static bool subscribe_to(contender *c, bench_handle *pub, bench_handle *sub, int target) {
	if(!simple(c, sub, "sub")) return false;
	if(!request(c, pub, json_pack("{sssI}", "request", "add", "recipient", (json_int_t)sub->id), NULL))
		return false;
	if(target >= 0 && !request(c, sub, json_pack("{sssi}", "request", "layer", "substream", target), NULL))
		return false;
	c->plugin->setup_media(&sub->ps);
	return true;
}

static bool subscribe(contender *c, bench_handle *pub, bench_handle *sub) { return subscribe_to(c, pub, sub, -1); }
static bool subscribe_layer(contender *c, bench_handle *pub, bench_handle *sub, int target) { return subscribe_to(c, pub, sub, target); }

static bool ping(contender *c, bench_handle *h) {
	return simple(c, h, "ping");
}

static bool async_req(contender *c, bench_handle *h) {
	return request_event(c, h, json_pack("{ss}", "request", "async"), NULL, NULL);
}

static void shutdown_plugin(contender *c) {
	c->plugin->destroy();
}

contender *contender_script_new(const char *kind, const char *lib, const char *confdir) {
	void *dl = NULL;
	janus_plugin *p = bench_dlopen_plugin(lib, confdir, &dl);
	if(!p) return NULL;
	static const contender ops = {
		.attach = attach, .publish = publish, .subscribe = subscribe, .publish_simulcast = publish_simulcast,
		.subscribe_layer = subscribe_layer, .detach = bench_plugin_detach, .ping = ping, .async_req = async_req,
		.shutdown = shutdown_plugin,
	};
	return bench_contender_new(&ops, g_strdup(kind), p, dl);
}
