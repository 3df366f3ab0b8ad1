// bench.js: the janus_duktape side of the relay benchmark, same requests as bench.lua.
// The script only configures routing (valves, addRecipient, simulcast targets); packets
// never enter JS.
var tasks = [];

// The answer to a publisher's offer: recvonly opus audio and VP8 video (the offer's
// payload types); janus_duktape takes the video codec from it.
var ANSWER = JSON.stringify({ type: "answer", sdp: [
	"v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=bench", "t=0 0",
	"m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=mid:0", "a=rtpmap:111 opus/48000/2", "a=recvonly",
	"m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 127.0.0.1", "a=mid:1", "a=rtpmap:96 VP8/90000", "a=recvonly",
	""].join("\r\n") });

function init(config) {}
function destroy() {}
function createSession(id) {}
function destroySession(id) {}
function querySession(id) { return null; }
function setupMedia(id) {}
function hangupMedia(id) {}

function valves(id, dir) {
	configureMedium(id, "audio", dir, true);
	configureMedium(id, "video", dir, true);
	configureMedium(id, "data", dir, true);
}

function handleMessage(id, tr, msg, jsep) {
	var m = JSON.parse(msg);
	switch(m.request) {
	case "ping":
		return JSON.stringify({ pong: true });
	case "async":
		tasks.push({ id: id, tr: tr, event: JSON.stringify({ done: true }), jsep: null });
		pokeScheduler();
		return 1;
	case "whoami":
		return JSON.stringify({ id: id });
	case "pub":
		valves(id, "out");
		if(!jsep) return JSON.stringify({ ok: true });
		// an offer (simulcast bench: the SSRCs come from its `simulcast` list)
		tasks.push({ id: id, tr: tr, event: JSON.stringify({ ok: true }), jsep: ANSWER });
		pokeScheduler();
		return 1;
	case "sub":
		valves(id, "in");
		return JSON.stringify({ ok: true });
	case "add":
		addRecipient(id, m.recipient);
		return JSON.stringify({ ok: true });
	case "layer":
		setSubstream(id, m.substream);
		setTemporalLayer(id, 2);
		return JSON.stringify({ ok: true });
	}
	return -1;
}

function resumeScheduler() {
	while(tasks.length > 0) {
		var t = tasks.shift();
		pushEvent(t.id, t.tr, t.event, t.jsep);
	}
}
