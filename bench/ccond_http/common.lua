-- common.lua - shared by the bench/ccond_http wrk scripts: one line of
-- results that bench/ccond_http.sh reads, and a check that every answer
-- was a success (wrk itself counts only transport errors and non-2xx/3xx).
local M = {}

function M.done(summary, latency, requests)
	local secs = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format(
		"RESULT secs=%.3f requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
		"errors=%d non2xx=%d\n",
		secs, summary.requests, summary.requests / secs,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000,
		e.connect + e.read + e.write + e.timeout, e.status))
end

return M
