-- Paces each wrk connection: it waits this many milliseconds before each request, so that
-- N connections send about N * 1000 / (delay_ms + latency) requests per second.
local delay_ms = 20
function delay()
  return delay_ms
end
