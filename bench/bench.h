/* bench.h — the relay-throughput harness run inside a real Janus process by
 * libjanus_benchrunner.so. Contenders are driven through their janus_plugin API with a
 * fake core (fakecore.c) whose relay callbacks only count and checksum. */
#ifndef JANUS_TS_BENCH_H
#define JANUS_TS_BENCH_H

#include <stdint.h>
#include <stdbool.h>
#include <glib.h>
#include <jansson.h>
#include <plugins/plugin.h>

/* One Janus handle as the fake core sees it. `ps` must stay first: the contender gets
 * &ps and the fake core casts it back. */
typedef struct bench_handle {
	janus_plugin_session ps;
	int idx;			/* harness index, part of the delivery checksum */
	uint64_t id;			/* the contender's session/participant id (learned) */
	uint64_t feed;			/* videoroom: publisher id in the room */
	/* last push_event, for JSEP exchanges and the signalling bench (guarded by mutex) */
	GMutex mutex;
	GCond cond;
	int events;			/* push_event count */
	json_t *last_event;		/* owned */
	json_t *last_jsep;		/* owned */
	int64_t last_event_ns;
} bench_handle;

/* Delivery counters, per driving thread (no atomics on the hot path). */
typedef struct bench_counters {
	uint64_t rtp, rtcp, data, pli, remb;
	uint64_t bytes, checksum;
} bench_counters;
extern __thread bench_counters bench_tls;
/* When set, each relay_rtp also allocates and copies the packet, as Janus's core does
 * per recipient: a realistic cost for the relays a plugin makes under its locks. */
extern bool bench_relay_copy;

/* The fake core. */
extern janus_callbacks bench_core;
bench_handle *bench_handle_new(int idx);
void bench_handle_free(bench_handle *h);	/* after the contender destroyed its session */
/* Waits until h->events > seen (false on timeout); event and jsep receive new refs. */
bool bench_wait_event(bench_handle *h, int seen, int timeout_ms, json_t **event, json_t **jsep);
int64_t bench_now_ns(void);

/* A contender: a Janus plugin driven through its real API. */
typedef struct contender contender;
struct contender {
	const char *name;
	janus_plugin *plugin;
	void *dl;			/* dlopen handle, NULL for in-process ones */
	void *priv;
	/* create_session + whatever the contender needs to learn the session id */
	bool (*attach)(contender *c, bench_handle *h);
	/* h becomes a sender of audio (mindex 0) and video (mindex 1); PeerConnection up */
	bool (*publish)(contender *c, bench_handle *h);
	/* sub receives pub's media; PeerConnection up */
	bool (*subscribe)(contender *c, bench_handle *pub, bench_handle *sub);
	/* optional (the simulcast scenario): h sends audio and VP8 video whose three simulcast
	 * substreams have SSRCs ssrcs[0..2], lowest first; sub receives pub's media aiming at
	 * substream `target` (all temporal layers) */
	bool (*publish_simulcast)(contender *c, bench_handle *h, const uint32_t ssrcs[3]);
	bool (*subscribe_layer)(contender *c, bench_handle *pub, bench_handle *sub, int target);
	void (*detach)(contender *c, bench_handle *h);
	/* signalling: a trivial synchronous request (returns false if it was not answered
	 * synchronously) and an async request answered by a push_event */
	bool (*ping)(contender *c, bench_handle *h);
	bool (*async_req)(contender *c, bench_handle *h);
	/* optional: switch the signalling benchmark to another app (ts: the Node app);
	 * returns the label to report it under, or NULL if it could not */
	const char *(*signalling_app)(contender *c);
	void (*shutdown)(contender *c);
};

/* contender_*.c: each returns NULL (and logs why) when unavailable. */
contender *contender_script_new(const char *kind /* "lua" | "duktape" */, const char *lib, const char *confdir);
contender *contender_videoroom_new(const char *lib, const char *confdir);
contender *contender_ts_new(const char *lib, const char *confdir, const char *socket_path);
/* outside_lock: relay after releasing the router lock (decisions copied out, handles
 * kept by a reference) instead of under it as host-c does */
contender *contender_ref_new(bool outside_lock);
contender *contender_null_new(void);	/* the harness alone: delivers nothing */

/* Shared by contenders that are plain dlopened Janus plugins. */
janus_plugin *bench_dlopen_plugin(const char *lib, const char *confdir, void **dl);
/* A new contender: a copy of `ops` (its callbacks) with its name, plugin and dlopen handle. */
contender *bench_contender_new(const contender *ops, const char *name, janus_plugin *plugin, void *dl);
/* handle_message with a JSON request; returns the synchronous content (new ref) or NULL.
 * *type receives the janus_plugin_result_type. */
json_t *bench_message(contender *c, bench_handle *h, json_t *msg /* stolen */, json_t *jsep /* stolen */, int *type);
/* Detaches a handle as the core does: hangup_media, then destroy_session. */
void bench_plugin_detach(contender *c, bench_handle *h);
/* jsep.c: a publisher's JSEP offer (sendonly audio, sendonly video at mindex 1, the
 * default codecs of Janus's SDP helpers: opus, VP8); with ssrcs, the `simulcast` list the
 * core adds for the video as Janus hands it to plugins (SSRCs lowest first). */
json_t *bench_publisher_offer(const uint32_t *ssrcs /* NULL: no simulcast */);

#endif
