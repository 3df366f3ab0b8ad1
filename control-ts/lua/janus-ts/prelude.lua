-- janus-ts/prelude.lua: runs in every Lua VM of janus-ts before the script, with the
-- module path as its argument. The interpreter is WebAssembly: its own file functions see
-- only an in-memory file system, and it can load no C modules. So here `require`,
-- `dofile`, `loadfile` and `io.open`/`io.lines` (for reading) use the real file system
-- through the host functions janus-ts registers (global janus_ts_host, moved into
-- package.loaded so that no script sees it as a global), and a C module gets a clear error.

local host = janus_ts_host
janus_ts_host = nil
package.loaded["janus_ts_host"] = host
package.path = ...
package.cpath = ""

local function fileFor(template, name)
	return (template:gsub("%?", (name:gsub("%.", "/"):gsub("%%", "%%%%"))))
end

-- Lua modules: the first file of package.path that exists (as Lua's own searcher does).
local function luaSearcher(name)
	local tried = {}
	for template in package.path:gmatch("[^;]+") do
		local file = fileFor(template, name)
		local source = host.readFile(file)
		if source then
			local chunk, err = load(source, "@" .. file)
			if not chunk then
				error(string.format("error loading module '%s' from file '%s':\n\t%s", name, file, err), 2)
			end
			return chunk, file
		end
		tried[#tried + 1] = "\n\tno file '" .. file .. "'"
	end
	return table.concat(tried)
end

-- C modules cannot be loaded: say so, naming the library file when there is one.
local function cSearcher(name)
	local found = host.findCModule(name)
	if found then
		return "\n\tC module '" .. found .. "' found, but janus-ts runs Lua in WebAssembly, which loads only"
			.. " Lua files: use a pure-Lua module instead, or port this part of the script to TypeScript"
	end
	return "\n\tno C module either (janus-ts runs Lua in WebAssembly and loads only Lua files)"
end

package.searchers = { package.searchers[1], luaSearcher, cSearcher }

function loadfile(file, ...)
	if file == nil then return nil, "janus-ts: loadfile() from standard input is not supported" end
	local source = host.readFile(file)
	if not source then return nil, "cannot open " .. file end
	return load(source, "@" .. file, ...)
end

function dofile(file)
	local chunk, err = loadfile(file)
	if not chunk then error(err, 2) end
	return chunk()
end

local io_open, io_lines = io.open, io.lines

function io.open(file, mode)
	if type(mode) == "string" and mode:find("[wa+]") then
		return nil, file .. ": janus-ts's Lua cannot write files (they would stay inside its WebAssembly memory)", 30
	end
	host.stage(file)
	return io_open(file, mode)
end

function io.lines(file, ...)
	if file ~= nil then host.stage(file) end
	return io_lines(file, ...)
end

function os.exit()
	error("os.exit is not available in janus-ts: the app serves every session; return an error instead", 2)
end

os.getenv = host.getenv
