-- ansicolors.lua: the `ansicolors` module of janus-ts's Lua runtime, with the API of
-- kikito's ansicolors.lua 1.0.2 (Debian's lua-ansicolors), which janus_lua's sample
-- scripts use for their log prefix:
--
--   colors("[%{blue}echotest.lua%{reset}]")   -- escape codes, with a reset before and after
--   colors.noReset("%{red bright}alert")       -- the codes only
--
-- An unknown key inside %{...} is an error ("Unknown key: ...").

local CODES = {
	reset = 0, bright = 1, dim = 2, underline = 4, blink = 5, reverse = 7, hidden = 8,
	black = 30, red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36, white = 37,
	blackbg = 40, redbg = 41, greenbg = 42, yellowbg = 43, bluebg = 44, magentabg = 45, cyanbg = 46, whitebg = 47,
}

local function escapes(keys)
	local out = {}
	for word in keys:gmatch("%w+") do
		local code = CODES[word]
		if not code then error("Unknown key: " .. word, 2) end
		out[#out + 1] = string.char(27) .. "[" .. code .. "m"
	end
	return table.concat(out)
end

local function noReset(text)
	return (tostring(text):gsub("%%{(.-)}", escapes))
end

local function colors(text)
	return noReset("%{reset}" .. tostring(text or "") .. "%{reset}")
end

return setmetatable({ noReset = noReset }, { __call = function(_, text) return colors(text) end })
