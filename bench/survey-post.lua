-- wrk script for bench/surveys.sh: every request answers the IIT with a code of its own.
-- Arguments: codes file, CSRF token, Cookie header, number of threads, the answers (url-encoded).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(args[1]) do table.insert(all, line) end
  local n = tonumber(args[4])
  codes = {}
  for i = id + 1, #all, n do table.insert(codes, all[i]) end
  body = "csrf=" .. args[2] .. "&" .. args[5]
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = args[3] }
  next_code = 0
end

function request()
  next_code = next_code + 1
  -- Out of codes: a code that does not exist (404), which the script reports as an error.
  local code = codes[next_code] or "0000-0000-0000"
  return wrk.format("POST", "/s/" .. code, headers, body)
end
