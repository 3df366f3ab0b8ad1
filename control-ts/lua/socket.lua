-- socket.lua: the part of LuaSocket that janus_lua's sample scripts use, for
-- janus-ts's Lua runtime (LuaSocket is a C library, which Lua in WebAssembly cannot load).
--
--   socket.gettime()   -- seconds since the epoch, with sub-millisecond precision
--
-- Anything else of LuaSocket is missing on purpose: for network I/O, port the code to
-- TypeScript (Node's net, http, fetch).

local host = require("janus_ts_host")

return {
	_VERSION = "janus-ts socket (gettime only)",
	gettime = function() return host.gettime() end,
}
