/* forwarders.c — see forwarders.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/uio.h>
#include <glib.h>
#include "forwarders.h"
#include "router_host.h"
#include "router_abi.h"
#include "rcu.h"
#include "log.h"

typedef struct ts_fwd {
	uint32_t id;			/* public id */
	uint32_t session;		/* owner session id */
	int mindex;
	bool video;
	int fd;				/* owned: non-blocking UDP socket, connected */
	uint32_t ssrc;			/* network order; 0 = the packet's */
	int pt;				/* -1 = the packet's */
	int substream;			/* -1 = any */
	char host[64];
	uint16_t port;
	_Atomic uint64_t packets, errors;	/* sends done / failed (EAGAIN included) */
} ts_fwd;

static ts_fwd *_Atomic *table;	/* router forwarder index → forwarder (owned), NULL = free */
static uint16_t *gens;		/* per index, bumped at each start */
static unsigned n_table;
static _Atomic uint64_t total_started, gone_packets, gone_errors;	/* of forwarders stopped */

int ts_fwd_init(unsigned max_forwarders)
{
	n_table = max_forwarders;
	table = calloc(max_forwarders ? max_forwarders : 1, sizeof(*table));
	gens = calloc(max_forwarders ? max_forwarders : 1, sizeof(*gens));
	return table && gens ? 0 : -1;
}

static void fwd_free(ts_fwd *f)
{
	atomic_fetch_add(&gone_packets, atomic_load(&f->packets));
	atomic_fetch_add(&gone_errors, atomic_load(&f->errors));
	if (f->fd >= 0) close(f->fd);
	g_free(f);
}

void ts_fwd_deinit(void)
{
	for (unsigned i = 0; table && i < n_table; i++) {
		ts_fwd *f = atomic_exchange(&table[i], NULL);
		if (f) fwd_free(f);
	}
	free(table);
	free(gens);
	table = NULL;
	gens = NULL;
	n_table = 0;
}

/* A non-blocking UDP socket connected to t's address, or -1 with *reason. */
static int open_socket(const ts_fwd_target *t, char **reason)
{
	int fd = socket(t->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&t->addr, t->addr_len) < 0) {
		*reason = g_strdup_printf("cannot open a UDP socket to %s:%u: %s", t->host, t->port, g_strerror(errno));
		if (fd >= 0) close(fd);
		return -1;
	}
	return fd;
}

static int free_index(void)
{
	for (unsigned i = 0; i < n_table; i++)
		if (!atomic_load(&table[i])) return (int)i;
	return -1;
}

ts_err ts_fwd_start_locked(uint32_t session, int slot, int mindex, bool video, const ts_fwd_target *t,
	uint32_t *id, char **reason)
{
	int i = free_index();
	if (i < 0) {
		*reason = g_strdup_printf("max_forwarders (%u) forwarders exist already", n_table);
		return TS_E_FULL;
	}
	int fd = open_socket(t, reason);
	if (fd < 0) return TS_E_CORE;
	int32_t a[4] = {i, slot, mindex, t->substream < 0 ? TS_FWD_ANY : t->substream};
	int32_t rc = rh_call(RH_FWD_ADD, 4, a);
	if (rc < 0) {
		close(fd);
		if (rc == TS_R_E_FULL) *reason = g_strdup_printf("stream %d has %d forwarders already", mindex, TS_FWD_LANES);
		return rc == TS_R_E_FULL ? TS_E_FULL : rc == TS_R_E_SLOT ? TS_E_UNKNOWN_SESSION : rc == TS_R_E_ARG ? TS_E_BAD_ARGS : TS_E_INTERNAL;
	}
	ts_fwd *f = g_new0(ts_fwd, 1);
	gens[i]++;
	f->id = ((uint32_t)gens[i] << 16) | (uint32_t)(i + 1);
	f->session = session;
	f->mindex = mindex;
	f->video = video;
	f->fd = fd;
	f->ssrc = htonl(t->ssrc);
	f->pt = t->pt;
	f->substream = t->substream;
	g_strlcpy(f->host, t->host, sizeof(f->host));
	f->port = t->port;
	atomic_store_explicit(&table[i], f, memory_order_release);	/* before any RTP_FORWARD for i */
	atomic_fetch_add(&total_started, 1);
	*id = f->id;
	return TS_OK;
}

/* The index of a public id, -1 if it names no live forwarder. */
static int index_of(uint32_t id)
{
	uint32_t i = (id & 0xFFFF) - 1;
	if (i >= n_table) return -1;
	ts_fwd *f = atomic_load(&table[i]);
	return f && f->id == id ? (int)i : -1;
}

/* Unpublished by the router and a grace period passed: nobody reads entry i any more. */
static void release(int i)
{
	ts_fwd *f = atomic_exchange(&table[i], NULL);
	if (f) fwd_free(f);
}

ts_err ts_fwd_stop_locked(uint32_t id)
{
	int i = index_of(id);
	if (i < 0) return TS_E_NOT_FOUND;
	int32_t a = i;
	if (rh_call(RH_FWD_REMOVE, 1, &a) < 0) ts_rcu_sync();	/* removed, or a grace period all the same */
	release(i);
	return TS_OK;
}

void ts_fwd_drop_session_locked(uint32_t session)
{
	for (unsigned i = 0; i < n_table; i++) {
		ts_fwd *f = atomic_load(&table[i]);
		if (f && f->session == session) release((int)i);
	}
}

uint32_t ts_fwd_owner_locked(uint32_t id)
{
	int i = index_of(id);
	return i < 0 ? 0 : atomic_load(&table[i])->session;
}

static json_t *info(const ts_fwd *f)
{
	json_t *o = json_pack("{sIsIsisssisIsI}", "forwarder", (json_int_t)f->id, "session", (json_int_t)f->session,
		"mindex", f->mindex, "host", f->host, "port", (int)f->port,
		"packets", (json_int_t)atomic_load(&f->packets), "sendErrors", (json_int_t)atomic_load(&f->errors));
	if (f->ssrc) json_object_set_new(o, "ssrc", json_integer(ntohl(f->ssrc)));
	if (f->pt >= 0) json_object_set_new(o, "pt", json_integer(f->pt));
	if (f->substream >= 0) json_object_set_new(o, "substream", json_integer(f->substream));
	return o;
}

json_t *ts_fwd_list_locked(uint32_t session)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < n_table; i++) {
		ts_fwd *f = atomic_load(&table[i]);
		if (f && (session == 0 || f->session == session)) json_array_append_new(a, info(f));
	}
	return a;
}

static inline uint16_t le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return GUINT16_FROM_LE(v); }
static inline uint32_t le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return GUINT32_FROM_LE(v); }

void ts_fwd_send(uint32_t index, const janus_plugin_rtp *pkt, const uint8_t *rec)
{
	ts_fwd *f = index < n_table ? atomic_load_explicit(&table[index], memory_order_acquire) : NULL;
	if (!f || !pkt || pkt->length < 12) return;
	uint8_t head[12];
	memcpy(head, pkt->buffer, 12);
	uint8_t b1 = rec[TS_REC_B1];
	head[1] = (uint8_t)((b1 & 0x80) | (f->pt >= 0 ? f->pt : (b1 & 0x7F)));
	uint16_t seq = g_htons(le16(rec + TS_REC_SEQ));
	uint32_t ts = g_htonl(le32(rec + TS_REC_TS));
	memcpy(head + 2, &seq, 2);
	memcpy(head + 4, &ts, 4);
	if (f->ssrc) memcpy(head + 8, &f->ssrc, 4);
	struct iovec iov[2] = {{head, 12}, {pkt->buffer + 12, pkt->length - 12}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	if (sendmsg(f->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		atomic_fetch_add_explicit(&f->errors, 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&f->packets, 1, memory_order_relaxed);
}

/* ts_core_lock held. */
json_t *ts_fwd_stats(void)
{
	uint64_t live = 0, packets = atomic_load(&gone_packets), errors = atomic_load(&gone_errors);
	for (unsigned i = 0; i < n_table; i++) {
		ts_fwd *f = atomic_load(&table[i]);
		if (!f) continue;
		live++;
		packets += atomic_load(&f->packets);
		errors += atomic_load(&f->errors);
	}
	return json_pack("{sIsIsIsI}", "live", (json_int_t)live, "started", (json_int_t)atomic_load(&total_started),
		"packets", (json_int_t)packets, "sendErrors", (json_int_t)errors);
}
