-- term/colors.lua: the `term.colors` module of janus-ts's Lua runtime, with the API of
-- lua-term's term.colors: each attribute is a value that turns into its escape code with
-- tostring() or `..`, and wraps a text (adding a reset) when called:
--
--   print(colors.red .. "error" .. colors.reset)
--   print(colors.green("ok"))

local ATTRIBUTES = {
	reset = 0, clear = 0, default = 0,
	bright = 1, dim = 2, underscore = 4, blink = 5, reverse = 7, hidden = 8,
	black = 30, red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36, white = 37,
	onblack = 40, onred = 41, ongreen = 42, onyellow = 43, onblue = 44, onmagenta = 45, oncyan = 46, onwhite = 47,
}

local RESET = string.char(27) .. "[0m"
local Color = {}

Color.__tostring = function(self) return self.value end
Color.__concat = function(a, b) return tostring(a) .. tostring(b) end
Color.__call = function(self, text) return self.value .. tostring(text) .. RESET end

local colors = {}
for name, code in pairs(ATTRIBUTES) do
	colors[name] = setmetatable({ value = string.char(27) .. "[" .. code .. "m" }, Color)
end

return colors
