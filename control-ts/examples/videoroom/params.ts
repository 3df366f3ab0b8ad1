/** params.ts — the parameter tables of janus.plugin.videoroom's requests (same names, types and order). */
import type { Param } from '../lib/params';

export const REQUEST: Param[] = [['request', 'string', 'required']];
export const ROOM: Param[] = [['room', 'integer', 'required positive']];
export const ROOM_OPT: Param[] = [['room', 'integer', 'positive']];
export const ID: Param[] = [['id', 'integer', 'required positive']];
export const ID_OPT: Param[] = [['id', 'integer', 'positive']];
export const FEED: Param[] = [['feed', 'integer', 'required positive']];
export const FEED_OPT: Param[] = [['feed', 'integer', 'positive']];
export const ADMIN_KEY: Param[] = [['admin_key', 'string', 'required']];
export const PUBLISHER_ID: Param[] = [['publisher_id', 'integer', 'required positive']];
export const RTP_FORWARD: Param[] = [
	['secret', 'string'], ['host', 'string', 'required'], ['host_family', 'string'], ['simulcast', 'boolean'],
	['srtp_suite', 'integer', 'positive'], ['srtp_crypto', 'string'], ['streams', 'array'],
	['video_port', 'integer', 'positive'], ['video_rtcp_port', 'integer', 'positive'], ['video_ssrc', 'integer', 'positive'],
	['video_pt', 'integer', 'positive'], ['video_port_2', 'integer', 'positive'], ['video_ssrc_2', 'integer', 'positive'],
	['video_pt_2', 'integer', 'positive'], ['video_port_3', 'integer', 'positive'], ['video_ssrc_3', 'integer', 'positive'],
	['video_pt_3', 'integer', 'positive'], ['audio_port', 'integer', 'positive'], ['audio_rtcp_port', 'integer', 'positive'],
	['audio_ssrc', 'integer', 'positive'], ['audio_pt', 'integer', 'positive'], ['data_port', 'integer', 'positive'],
];
export const RTP_FORWARD_STREAM: Param[] = [
	['secret', 'string'], ['mid', 'string', 'required'], ['host', 'string'], ['host_family', 'string'],
	['port', 'integer', 'required positive'], ['rtcp_port', 'integer', 'positive'], ['ssrc', 'integer', 'positive'],
	['pt', 'integer', 'positive'], ['simulcast', 'boolean'], ['srtp_suite', 'integer', 'positive'], ['srtp_crypto', 'string'],
	['port_2', 'integer', 'positive'], ['ssrc_2', 'integer', 'positive'], ['pt_2', 'integer', 'positive'],
	['port_3', 'integer', 'positive'], ['ssrc_3', 'integer', 'positive'], ['pt_3', 'integer', 'positive'],
];
export const STOP_RTP_FORWARD: Param[] = [['secret', 'string'], ['stream_id', 'integer', 'required positive']];

export const CREATE: Param[] = [
	['description', 'string'], ['is_private', 'boolean'], ['allowed', 'array'], ['secret', 'string'], ['pin', 'string'],
	['require_pvtid', 'boolean'], ['signed_tokens', 'boolean'], ['bitrate', 'integer', 'positive'], ['bitrate_cap', 'boolean'],
	['fir_freq', 'integer', 'positive'], ['publishers', 'integer', 'positive'], ['audiocodec', 'string'], ['videocodec', 'string'],
	['vp9_profile', 'string'], ['h264_profile', 'string'], ['opus_fec', 'boolean'], ['opus_dtx', 'boolean'], ['video_svc', 'boolean'],
	['audiolevel_ext', 'boolean'], ['audiolevel_event', 'boolean'], ['audio_active_packets', 'integer', 'positive'],
	['audio_level_average', 'integer', 'positive'], ['videoorient_ext', 'boolean'], ['playoutdelay_ext', 'boolean'],
	['transport_wide_cc_ext', 'boolean'], ['record', 'boolean'], ['rec_dir', 'string'], ['lock_record', 'boolean'],
	['permanent', 'boolean'], ['notify_joining', 'boolean'], ['require_e2ee', 'boolean'], ['dummy_publisher', 'boolean'],
	['dummy_streams', 'array'],
];
export const EDIT: Param[] = [
	['secret', 'string'], ['new_description', 'string'], ['new_is_private', 'boolean'], ['new_secret', 'string'],
	['new_pin', 'string'], ['new_require_pvtid', 'boolean'], ['new_bitrate', 'integer', 'positive'],
	['new_fir_freq', 'integer', 'positive'], ['new_publishers', 'integer', 'positive'], ['new_lock_record', 'boolean'],
	['new_rec_dir', 'string'], ['permanent', 'boolean'],
];
export const DESTROY: Param[] = [['permanent', 'boolean']];
export const KICK: Param[] = [['secret', 'string']];
export const MODERATE: Param[] = [['secret', 'string'], ['mid', 'string', 'required'], ['mute', 'boolean', 'required']];
export const RECORD: Param[] = [['record', 'boolean', 'required']];
export const JOIN: Param[] = [
	['ptype', 'string', 'required'], ['audio', 'boolean'], ['video', 'boolean'], ['data', 'boolean'],
	['bitrate', 'integer', 'positive'], ['record', 'boolean'], ['filename', 'string'], ['token', 'string'],
];
export const PUBLISHER: Param[] = [['display', 'string']];
export const PUBLISH: Param[] = [
	['descriptions', 'array'], ['audiocodec', 'string'], ['videocodec', 'string'], ['bitrate', 'integer', 'positive'],
	['keyframe', 'boolean'], ['record', 'boolean'], ['filename', 'string'], ['display', 'string'], ['secret', 'string'],
	['audio_level_averge', 'integer', 'positive'], ['audio_active_packets', 'integer', 'positive'],
	['audio', 'boolean'], ['video', 'boolean'], ['data', 'boolean'], ['update', 'boolean'], ['restart', 'boolean'],
];
export const PUBLISH_STREAM: Param[] = [['mid', 'string'], ['send', 'boolean'], ['min_delay', 'integer'], ['max_delay', 'integer']];
export const PUBLISH_DESC: Param[] = [['mid', 'string', 'required'], ['description', 'string', 'required']];
export const CONFIGURE: Param[] = [
	['streams', 'array'], ['update', 'boolean'], ['restart', 'boolean'], ['audio', 'boolean'], ['video', 'boolean'], ['data', 'boolean'],
];
export const CONFIGURE_STREAM: Param[] = [
	['mid', 'string'], ['send', 'boolean'], ['audio_level_averge', 'integer', 'positive'], ['audio_active_packets', 'integer', 'positive'],
	['substream', 'integer', 'positive'], ['temporal', 'integer', 'positive'], ['fallback', 'integer', 'positive'],
	['spatial_layer', 'integer', 'positive'], ['temporal_layer', 'integer', 'positive'], ['min_delay', 'integer'], ['max_delay', 'integer'],
];
export const SUBSCRIBER: Param[] = [
	['streams', 'array'], ['private_id', 'integer', 'positive'], ['autoupdate', 'boolean'], ['audio', 'boolean'], ['video', 'boolean'],
	['data', 'boolean'], ['offer_audio', 'boolean'], ['offer_video', 'boolean'], ['offer_data', 'boolean'],
	['substream', 'integer', 'positive'], ['temporal', 'integer', 'positive'], ['fallback', 'integer', 'positive'],
	['spatial_layer', 'integer', 'positive'], ['temporal_layer', 'integer', 'positive'],
];
export const SUBSCRIBER_STREAM: Param[] = [
	['mid', 'string'], ['crossrefid', 'string'], ['send', 'boolean'], ['substream', 'integer', 'positive'],
	['temporal', 'integer', 'positive'], ['spatial_layer', 'integer', 'positive'], ['temporal_layer', 'integer', 'positive'],
	['min_delay', 'integer'], ['max_delay', 'integer'],
];
export const SUBSCRIBER_UPDATE: Param[] = [['streams', 'array', 'required']];
export const SUBSCRIBER_COMBINED: Param[] = [['subscribe', 'array'], ['unsubscribe', 'array']];
export const SUBSCRIBER_REMOVE: Param[] = [['mid', 'string'], ['sub_mid', 'string']];
export const SWITCH: Param[] = [['streams', 'array']];
export const SWITCH_UPDATE: Param[] = [['mid', 'string', 'required'], ['sub_mid', 'string', 'required']];
