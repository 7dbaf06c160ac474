-- wrk script for the "one request per connection" wrk run.
-- Sends "Connection: close" so every request is its own TCP flow, rotates over
-- WRK_PATHS (comma separated) and stops each thread after WRK_MAX_REQ
-- responses, so the run is bounded in count as well as by wrk's -d duration.
local limit = tonumber(os.getenv("WRK_MAX_REQ") or "100")
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/index.html", "[^,]+") do
  paths[#paths + 1] = p
end
local count = 0
local i = 0

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Connection"] = "close" })
end

response = function(status, headers, body)
  count = count + 1
  if count >= limit then wrk.thread:stop() end
end
