/* contender_videoroom.c — Janus's own VideoRoom, dlopened and driven as a browser and the
 * core would: publishers "joinandconfigure" with a JSEP offer (answered by push_event),
 * subscribers "join" a feed (offer by push_event) and "start" with a JSEP answer built
 * with Janus's SDP helpers; then setup_media as the core does when DTLS is up. Simulcast:
 * the publisher's JSEP carries the core's `simulcast` list, subscribers join with a
 * `substream` target. */
#include <string.h>
#include <sdp-utils.h>
#include "bench.h"

#define ROOM 1234	/* defined in bench/contenders-config.sh */
#define WAIT_MS 5000

/* Sends a request that VideoRoom handles asynchronously, waits for its push_event. */
static json_t *async_call(contender *c, bench_handle *h, json_t *msg, json_t *jsep, json_t **jsep_out) {
	g_mutex_lock(&h->mutex);
	int seen = h->events;
	g_mutex_unlock(&h->mutex);
	int type = 0;
	json_t *r = bench_message(c, h, msg, jsep, &type);
	if(type != JANUS_PLUGIN_OK_WAIT) {
		char *s = r ? json_dumps(r, JSON_COMPACT) : NULL;
		JANUS_LOG(LOG_ERR, "bench[videoroom]: expected an async answer, got type %d %s\n", type, s ? s : "");
		free(s);
		if(r) json_decref(r);
		return NULL;
	}
	if(r) json_decref(r);
	json_t *ev = NULL, *js = NULL;
	if(!bench_wait_event(h, seen, WAIT_MS, &ev, &js)) {
		JANUS_LOG(LOG_ERR, "bench[videoroom]: no event on handle %d\n", h->idx);
		return NULL;
	}
	if(json_object_get(ev, "error")) {
		JANUS_LOG(LOG_ERR, "bench[videoroom]: error event: %s\n", json_string_value(json_object_get(ev, "error")));
		json_decref(ev);
		if(js) json_decref(js);
		return NULL;
	}
	if(jsep_out) *jsep_out = js; else if(js) json_decref(js);
	return ev;
}

static json_t *subscriber_answer(json_t *offer_jsep) {
	char err[200];
	janus_sdp *offer = janus_sdp_parse(json_string_value(json_object_get(offer_jsep, "sdp")), err, sizeof(err));
	if(!offer) {
		JANUS_LOG(LOG_ERR, "bench[videoroom]: cannot parse the subscriber offer: %s\n", err);
		return NULL;
	}
	janus_sdp *answer = janus_sdp_generate_answer(offer);
	for(GList *l = offer->m_lines; l; l = l->next) {
		janus_sdp_mline *m = l->data;
		janus_sdp_generate_answer_mline(offer, answer, m,
			JANUS_SDP_OA_MLINE, m->type,
			JANUS_SDP_OA_ENABLED, m->type == JANUS_SDP_AUDIO || m->type == JANUS_SDP_VIDEO,
			JANUS_SDP_OA_DIRECTION, JANUS_SDP_RECVONLY,
			JANUS_SDP_OA_DONE);
	}
	char *sdp = janus_sdp_write(answer);
	janus_sdp_destroy(offer);
	janus_sdp_destroy(answer);
	json_t *jsep = json_pack("{ssss}", "type", "answer", "sdp", sdp);
	g_free(sdp);
	return jsep;
}

static bool attach(contender *c, bench_handle *h) {
	int error = 0;
	c->plugin->create_session(&h->ps, &error);
	return error == 0;
}

static bool publish_with(contender *c, bench_handle *h, const uint32_t *ssrcs) {
	json_t *ev = async_call(c, h, json_pack("{sssisssbsb}", "request", "joinandconfigure", "room", ROOM,
		"ptype", "publisher", "audio", 1, "video", 1), bench_publisher_offer(ssrcs), NULL);
	if(!ev) return false;
	h->feed = (uint64_t)json_integer_value(json_object_get(ev, "id"));
	h->id = h->feed;
	json_decref(ev);
	if(!h->feed) return false;
	c->plugin->setup_media(&h->ps);
	return true;
}

static bool publish(contender *c, bench_handle *h) { return publish_with(c, h, NULL); }
static bool publish_simulcast(contender *c, bench_handle *h, const uint32_t ssrcs[3]) { return publish_with(c, h, ssrcs); }

/* Joins pub's feed (target < 0: no simulcast substream asked) and starts. */
static bool subscribe_to(contender *c, bench_handle *pub, bench_handle *sub, int target) {
	json_t *offer = NULL;
	json_t *item = json_pack("{sI}", "feed", (json_int_t)pub->feed);
	if(target >= 0) json_object_set_new(item, "substream", json_integer(target));
	json_t *ev = async_call(c, sub, json_pack("{sssisss[o]}", "request", "join", "room", ROOM,
		"ptype", "subscriber", "streams", item), NULL, &offer);
	if(!ev || !offer) {
		if(ev) json_decref(ev);
		return false;
	}
	json_decref(ev);
	json_t *answer = subscriber_answer(offer);
	json_decref(offer);
	if(!answer) return false;
	ev = async_call(c, sub, json_pack("{ss}", "request", "start"), answer, NULL);
	if(!ev) return false;
	json_decref(ev);
	c->plugin->setup_media(&sub->ps);
	return true;
}

static bool subscribe(contender *c, bench_handle *pub, bench_handle *sub) { return subscribe_to(c, pub, sub, -1); }
static bool subscribe_layer(contender *c, bench_handle *pub, bench_handle *sub, int target) { return subscribe_to(c, pub, sub, target); }

/* A trivial synchronous request: "exists". */
static bool ping(contender *c, bench_handle *h) {
	int type = 0;
	json_t *r = bench_message(c, h, json_pack("{sssi}", "request", "exists", "room", ROOM), NULL, &type);
	bool ok = type == JANUS_PLUGIN_OK && r && json_is_true(json_object_get(r, "exists"));
	if(r) json_decref(r);
	return ok;
}

static void shutdown_vr(contender *c) { c->plugin->destroy(); }

contender *contender_videoroom_new(const char *lib, const char *confdir) {
	void *dl = NULL;
	janus_plugin *p = bench_dlopen_plugin(lib, confdir, &dl);
	if(!p) return NULL;
	static const contender ops = {
		.attach = attach, .publish = publish, .subscribe = subscribe, .publish_simulcast = publish_simulcast,
		.subscribe_layer = subscribe_layer, .detach = bench_plugin_detach, .ping = ping, .shutdown = shutdown_vr,
	};
	return bench_contender_new(&ops, "videoroom", p, dl);
}
