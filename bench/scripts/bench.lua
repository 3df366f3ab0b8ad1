-- bench.lua: the janus_lua side of the relay benchmark. The script only configures
-- routing (valves, addRecipient, simulcast targets); packets never enter Lua. Requests
-- (JSON strings, matched with patterns so no JSON module is needed):
--   whoami           -> {"id": <session id>}            (sync)
--   pub              -> out valves open                 (sync)
--   pub + JSEP offer -> out valves open, then pushEvent from the scheduler with a VP8
--                       answer (simulcast bench: janus_lua takes the SSRCs from the
--                       offer's `simulcast` list, the video codec from this answer)
--   sub              -> in valves open                  (sync)
--   add {recipient}  -> addRecipient(id, recipient)     (sync)
--   layer {substream} -> setSubstream(id, substream), setTemporalLayer(id, 2) (sync)
--   ping             -> {"pong":true}                   (sync, signalling bench)
--   async            -> ack, then pushEvent from the scheduler (signalling bench)
tasks = {}

-- The answer to a publisher's offer: recvonly opus audio and VP8 video (the offer's
-- payload types), JSON-escaped line ends.
local ANSWER = '{"type":"answer","sdp":"' .. table.concat({
	"v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=bench", "t=0 0",
	"m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=mid:0", "a=rtpmap:111 opus/48000/2", "a=recvonly",
	"m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 127.0.0.1", "a=mid:1", "a=rtpmap:96 VP8/90000", "a=recvonly",
	""}, "\\r\\n") .. '"}'

function init(config) end
function destroy() end
function createSession(id) end
function destroySession(id) end
function querySession(id) return nil end
function setupMedia(id) end
function hangupMedia(id) end

local function valves(id, dir)
	configureMedium(id, "audio", dir, true)
	configureMedium(id, "video", dir, true)
	configureMedium(id, "data", dir, true)
end

function handleMessage(id, tr, msg, jsep)
	local req = string.match(msg, '"request"%s*:%s*"(%a+)"')
	if req == "ping" then
		return 0, '{"pong":true}'
	elseif req == "async" then
		table.insert(tasks, { id = id, tr = tr, event = '{"done":true}' })
		pokeScheduler()
		return 1, nil
	elseif req == "whoami" then
		return 0, string.format('{"id":%.0f}', id)
	elseif req == "pub" then
		valves(id, "out")
		if jsep == nil then return 0, '{"ok":true}' end
		table.insert(tasks, { id = id, tr = tr, event = '{"ok":true}', jsep = ANSWER })
		pokeScheduler()
		return 1, nil
	elseif req == "sub" then
		valves(id, "in")
		return 0, '{"ok":true}'
	elseif req == "add" then
		local r = tonumber(string.match(msg, '"recipient"%s*:%s*(%d+)'))
		addRecipient(id, r)
		return 0, '{"ok":true}'
	elseif req == "layer" then
		setSubstream(id, tonumber(string.match(msg, '"substream"%s*:%s*(%d+)')))
		setTemporalLayer(id, 2)
		return 0, '{"ok":true}'
	end
	return -1, '{"error":"unknown request"}'
end

function resumeScheduler()
	while #tasks > 0 do
		local t = table.remove(tasks, 1)
		pushEvent(t.id, t.tr, t.event, t.jsep)
	end
end
