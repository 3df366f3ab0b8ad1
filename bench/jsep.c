/* jsep.c — JSEPs as Janus's core hands them to plugins (see bench.h). */
#include <sdp-utils.h>
#include "bench.h"

json_t *bench_publisher_offer(const uint32_t *ssrcs) {
	janus_sdp *offer = janus_sdp_generate_offer("bench", "127.0.0.1",
		JANUS_SDP_OA_MLINE, JANUS_SDP_AUDIO, JANUS_SDP_OA_DIRECTION, JANUS_SDP_SENDONLY,
		JANUS_SDP_OA_MLINE, JANUS_SDP_VIDEO, JANUS_SDP_OA_DIRECTION, JANUS_SDP_SENDONLY,
		JANUS_SDP_OA_DONE);
	char *sdp = janus_sdp_write(offer);
	janus_sdp_destroy(offer);
	json_t *jsep = json_pack("{ssss}", "type", "offer", "sdp", sdp);
	g_free(sdp);
	if(ssrcs) json_object_set_new(jsep, "simulcast", json_pack("[{sisss[III]}]", "mindex", 1, "mid", "1",
		"ssrcs", (json_int_t)ssrcs[0], (json_int_t)ssrcs[1], (json_int_t)ssrcs[2]));
	return jsep;
}
