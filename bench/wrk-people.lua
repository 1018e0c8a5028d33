-- wrk script: GET /api/v1/people/{id} over a list of ids, with latency percentiles printed as JSON.
local ids = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/people/" .. ids[(i % #ids) + 1])
end
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format('{"total":%d,"seconds":%.3f,"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f,"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
