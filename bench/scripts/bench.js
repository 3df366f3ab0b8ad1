// bench.js: the janus_duktape side of the relay benchmark, same requests as bench.lua.
// The script only configures routing (valves + addRecipient); packets never enter JS.
var tasks = [];

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
		tasks.push({ id: id, tr: tr });
		pokeScheduler();
		return 1;
	case "whoami":
		return JSON.stringify({ id: id });
	case "pub":
		valves(id, "out");
		return JSON.stringify({ ok: true });
	case "sub":
		valves(id, "in");
		return JSON.stringify({ ok: true });
	case "add":
		addRecipient(id, m.recipient);
		return JSON.stringify({ ok: true });
	}
	return -1;
}

function resumeScheduler() {
	while(tasks.length > 0) {
		var t = tasks.shift();
		pushEvent(t.id, t.tr, JSON.stringify({ done: true }), null);
	}
}
