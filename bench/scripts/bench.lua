-- bench.lua: the janus_lua side of the relay benchmark. The script only configures
-- routing (valves + addRecipient); packets never enter Lua. Requests (JSON strings,
-- matched with patterns so no JSON module is needed):
--   whoami           -> {"id": <session id>}            (sync)
--   pub              -> out valves open                 (sync)
--   sub              -> in valves open                  (sync)
--   add {recipient}  -> addRecipient(id, recipient)     (sync)
--   ping             -> {"pong":true}                   (sync, signalling bench)
--   async            -> ack, then pushEvent from the scheduler (signalling bench)
tasks = {}

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
		table.insert(tasks, { id = id, tr = tr })
		pokeScheduler()
		return 1, nil
	elseif req == "whoami" then
		return 0, string.format('{"id":%.0f}', id)
	elseif req == "pub" then
		valves(id, "out")
		return 0, '{"ok":true}'
	elseif req == "sub" then
		valves(id, "in")
		return 0, '{"ok":true}'
	elseif req == "add" then
		local r = tonumber(string.match(msg, '"recipient"%s*:%s*(%d+)'))
		addRecipient(id, r)
		return 0, '{"ok":true}'
	end
	return -1, '{"error":"unknown request"}'
end

function resumeScheduler()
	while #tasks > 0 do
		local t = table.remove(tasks, 1)
		pushEvent(t.id, t.tr, '{"done":true}', nil)
	end
end
