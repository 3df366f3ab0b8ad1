-- json.lua: the `json` module of janus-ts's Lua runtime.
--
-- janus_lua's sample scripts use LuaJSON 1.3.4 (Debian's lua-json), which needs the LPeg
-- C library; this pure-Lua module behaves the same way for what those scripts rely on:
--
--   decode: JSON null becomes json.util.null (a function, so it is not nil: test
--           `v == json.util.null`); arrays get a marker metatable (json.util.InitArray) so
--           they encode back as arrays even when empty; numbers come from tonumber()
--           ("1" is an integer, "1.0" and "1e3" are floats); NaN, Infinity and -Infinity
--           are accepted; json.decode(text, json.decode.simple) maps null to nil instead.
--   encode: a table is an array when it carries the marker metatable, or when it is not
--           empty and its keys are exactly 1..#t (or it has an integer field n >= 1);
--           any other table, including an empty one, is an object ({}); numbers are
--           written with tostring() (1 -> 1, 1.0 -> 1.0, nan -> NaN); "/" is escaped as
--           "\/"; control characters as \b \f \n \r \t or \u00XX (LuaJSON writes \v, which
--           is not JSON: here it is \u000B); nil and json.util.null are null; functions,
--           userdata and tables that contain themselves are errors.
--
-- json.encode(v) and json.decode(s) are also callable tables, as in LuaJSON.

local json = { _VERSION = "1.3.4", _DESCRIPTION = "janus-ts: LuaJSON-compatible JSON for Lua" }

---------------------------------------------------------------------------- util

local util = {}

local function null() return null end
local function undefined() return undefined end
util.null = null
util.undefined = undefined

local ArrayMT = {}

function util.InitArray(t)
	return setmetatable(t, ArrayMT)
end

-- true: marked as an array; false: empty and unmarked (an object); nil: look at the keys.
function util.IsArray(value)
	if type(value) ~= "table" then return false end
	local meta = getmetatable(value)
	if meta == ArrayMT or (meta ~= nil and meta.__is_luajson_array) then return true end
	if #value == 0 then return false end
	return nil
end

json.util = util

---------------------------------------------------------------------------- encode

local ESCAPES = {
	['"'] = '\\"', ["\\"] = "\\\\", ["/"] = "\\/",
	["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}
for i = 0, 31 do
	local c = string.char(i)
	if not ESCAPES[c] then ESCAPES[c] = string.format("\\u%.4X", i) end
end

local function encodeString(s)
	return '"' .. s:gsub('[%z\1-\31"\\/]', ESCAPES) .. '"'
end

local function encodeNumber(n)
	if n ~= n then return "NaN" end
	if n == math.huge then return "Infinity" end
	if n == -math.huge then return "-Infinity" end
	return tostring(n)
end

local function keysAreSequence(t)
	if type(t.n) == "number" and math.floor(t.n) == t.n and t.n >= 1 then return true end
	local len = #t
	for k in pairs(t) do
		if type(k) ~= "number" then return false end
		local _, frac = math.modf(k)
		if not (frac == 0 and k >= 1) or k > len then return false end
	end
	return true
end

local function isArray(t)
	local marked = util.IsArray(t)
	if marked ~= nil then return marked end
	return keysAreSequence(t)
end

local encodeValue

local function encodeTable(t, seen)
	if seen[t] then error("Recursive encoding of value", 0) end
	seen[t] = true
	local parts = {}
	if isArray(t) then
		for i = 1, (t.n or #t) do parts[#parts + 1] = encodeValue(t[i], seen) end
		seen[t] = nil
		return "[" .. table.concat(parts, ",") .. "]"
	end
	for k, v in pairs(t) do
		local kt = type(k)
		if kt ~= "string" and kt ~= "number" and kt ~= "boolean" then
			error("Invalid object index type: " .. kt, 0)
		end
		parts[#parts + 1] = encodeString(tostring(k)) .. ":" .. encodeValue(v, seen)
	end
	seen[t] = nil
	return "{" .. table.concat(parts, ",") .. "}"
end

encodeValue = function(v, seen)
	local t = type(v)
	if t == "nil" then return "null" end
	if t == "boolean" then return v and "true" or "false" end
	if t == "number" then return encodeNumber(v) end
	if t == "string" then return encodeString(v) end
	if t == "table" then return encodeTable(v, seen) end
	if v == null then return "null" end
	if v == undefined then return "undefined" end
	if t == "function" then error("Failed to encode value, encoders for function deny encoding", 0) end
	error("Failed to encode value, unhandled type: " .. t, 0)
end

local encode = { default = {}, strict = { initialObject = true } }
function encode.encode(value, options)
	if options and options.initialObject and type(value) ~= "table" then
		error("Invalid arguments: expects a JSON Object or Array at the root", 0)
	end
	return encodeValue(value, {})
end
function encode.getEncoder(options)
	return function(value) return encode.encode(value, options) end
end
setmetatable(encode, { __call = function(_, ...) return encode.encode(...) end })
json.encode = encode

---------------------------------------------------------------------------- decode

local Decoder = {}
Decoder.__index = Decoder

function Decoder:fail(what)
	local line = select(2, self.s:sub(1, self.i):gsub("\n", "")) + 1
	error(string.format("JSON decode error: %s at character %d (line %d)", what, self.i, line), 0)
end

function Decoder:skip()
	-- JSON whitespace, the Unicode spaces LuaJSON also ignores (NBSP, BOM, U+2000..200B,
	-- U+2028/9, U+202F, U+205F, U+3000) and /* */ or // comments (ended by a newline), as LuaJSON does.
	while true do
		local from = self.i
		local _, e = self.s:find("^[ \t\r\n]+", self.i)
		if e then self.i = e + 1 end
		local u = self.s:match("^\194\160", self.i) or self.s:match("^\239\187\191", self.i)
			or self.s:match("^\226\128[\128-\139\168\169\175]", self.i) or self.s:match("^\226\129\159", self.i)
			or self.s:match("^\227\128\128", self.i) or self.s:match("^//[^\n]*\n", self.i) or self.s:match("^/%*.-%*/", self.i)
		if u then self.i = self.i + #u end
		if self.i == from then return end
	end
end

local SIMPLE_ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", v = "\v", ["'"] = "'" }

local function utf8char(code)
	return utf8.char(code)
end

function Decoder:unicodeEscape()
	local hex = self.s:match("^%x%x%x%x", self.i)
	if not hex then self:fail("Illegal unicode escape") end
	self.i = self.i + 4
	local code = tonumber(hex, 16)
	if code >= 0xD800 and code <= 0xDBFF then
		local low = self.s:match("^\\u([dD][c-fC-F]%x%x)", self.i)
		if low then
			self.i = self.i + 6
			code = 0x10000 + (code - 0xD800) * 0x400 + (tonumber(low, 16) - 0xDC00)
		end
	end
	return utf8char(code)
end

-- A string in double quotes or, as LuaJSON accepts, single quotes.
function Decoder:string()
	local parts = {}
	local quote = self.s:sub(self.i, self.i)
	local stop = quote == '"' and '["\\]' or "['\\]"
	self.i = self.i + 1
	while true do
		local chunk_end = self.s:find(stop, self.i)
		if not chunk_end then self:fail("unterminated string") end
		parts[#parts + 1] = self.s:sub(self.i, chunk_end - 1)
		local c = self.s:sub(chunk_end, chunk_end)
		self.i = chunk_end + 1
		if c == quote then return table.concat(parts) end
		local e = self.s:sub(self.i, self.i)
		self.i = self.i + 1
		if SIMPLE_ESCAPES[e] then
			parts[#parts + 1] = SIMPLE_ESCAPES[e]
		elseif e == "u" then
			parts[#parts + 1] = self:unicodeEscape()
		else
			self.i = self.i - 1
			self:fail("Illegal escape")
		end
	end
end

function Decoder:number()
	local special = self.s:match("^-?Infinity", self.i) or self.s:match("^[Nn][Aa][Nn]", self.i)
	if special then
		self.i = self.i + #special
		if special:lower() == "nan" then return 0 / 0 end
		return special:sub(1, 1) == "-" and -math.huge or math.huge
	end
	local int = self.s:match("^-?%d+", self.i)
	if not int then self:fail("invalid number") end
	if int:match("^-?0%d") then self:fail("number with a leading zero") end
	local j = self.i + #int
	local frac = self.s:match("^%.%d+", j) or ""
	local exp = self.s:match("^[eE][-+]?%d+", j + #frac) or ""
	local text = int .. frac .. exp
	self.i = self.i + #text
	return tonumber(text)
end

function Decoder:array()
	local arr = util.InitArray({})
	local n = 0
	self.i = self.i + 1
	self:skip()
	if self.s:sub(self.i, self.i) == "]" then self.i = self.i + 1 return arr end
	while true do
		self:skip()
		if self.s:sub(self.i, self.i) == "]" then self.i = self.i + 1 return arr end -- trailing comma
		n = n + 1
		arr[n] = self:value()
		self:skip()
		local c = self.s:sub(self.i, self.i)
		self.i = self.i + 1
		if c == "]" then
			if #arr ~= n then arr.n = n end
			return arr
		end
		if c ~= "," then self.i = self.i - 1 self:fail("expected ',' or ']'") end
	end
end

function Decoder:object()
	local obj = {}
	self.i = self.i + 1
	self:skip()
	if self.s:sub(self.i, self.i) == "}" then self.i = self.i + 1 return obj end
	while true do
		self:skip()
		local c = self.s:sub(self.i, self.i)
		if c == "}" then self.i = self.i + 1 return obj end -- trailing comma
		local key
		if c == '"' or c == "'" then
			key = self:string()
		else -- LuaJSON also takes bare identifiers as keys
			key = self.s:match("^[%a_][%w_]*", self.i)
			if not key then self:fail("expected a string key") end
			self.i = self.i + #key
		end
		self:skip()
		if self.s:sub(self.i, self.i) ~= ":" then self:fail("expected ':'") end
		self.i = self.i + 1
		obj[key] = self:value()
		self:skip()
		local c = self.s:sub(self.i, self.i)
		self.i = self.i + 1
		if c == "}" then return obj end
		if c ~= "," then self.i = self.i - 1 self:fail("expected ',' or '}'") end
	end
end

local LITERALS = { ["true"] = true, ["false"] = false }

function Decoder:value()
	self:skip()
	local c = self.s:sub(self.i, self.i)
	if c == "{" then return self:object() end
	if c == "[" then return self:array() end
	if c == '"' or c == "'" then return self:string() end
	if c == "-" or c:match("%d") or c == "I" or c == "N" or c == "n" and self.s:match("^[Nn][Aa][Nn]", self.i) then
		return self:number()
	end
	for word, v in pairs(LITERALS) do
		if self.s:sub(self.i, self.i + #word - 1) == word then self.i = self.i + #word return v end
	end
	if self.s:sub(self.i, self.i + 3) == "null" then self.i = self.i + 4 return self.null end
	if self.s:sub(self.i, self.i + 8) == "undefined" then self.i = self.i + 9 return self.undefined end
	if c == "" then self:fail("unexpected end of input") end
	self:fail("unexpected character '" .. c .. "'")
end

local decode = { default = {}, strict = { initialObject = true }, simple = { null = false, undefined = false } }

function decode.decode(text, mode)
	if type(text) ~= "string" then error("JSON decode error: expected a string, got " .. type(text), 0) end
	mode = mode == true and decode.strict or mode or decode.default
	local d = setmetatable({ s = text, i = 1, null = null, undefined = undefined }, Decoder)
	if mode.null == false then d.null = nil end
	if mode.undefined == false then d.undefined = nil end
	d:skip()
	if d.i > #text then return nil end -- LuaJSON: empty input decodes to nothing
	if mode.initialObject and not text:match("^[{[]", d.i) then d:fail("expected an object or an array") end
	local value = d:value()
	d:skip()
	if d.i <= #text then d:fail("trailing characters") end
	return value
end
function decode.getDecoder(mode)
	return function(text) return decode.decode(text, mode) end
end
setmetatable(decode, { __call = function(_, ...) return decode.decode(...) end })
json.decode = decode

return json
