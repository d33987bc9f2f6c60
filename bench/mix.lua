-- wrk script: cycles through a query mix (bench/queries*.txt format:
-- kind TAB q TAB filters) as GET /api/search requests. Each wrk thread
-- starts at another offset. Usage:
--   wrk -s bench/mix.lua URL -- QUERY_FILE
local paths = {}
local i = 0
local counter = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
end

function init(args)
  local file = args[1] or "bench/queries-filtered.txt"
  for line in io.lines(file) do
    local kind, q, filters = line:match("^([^\t]*)\t([^\t]*)\t?(.*)$")
    if q then
      local path = "/api/search?q=" .. urlencode(q)
      if filters and filters ~= "" then path = path .. "&" .. filters end
      paths[#paths + 1] = path
    end
  end
  i = offset or 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
