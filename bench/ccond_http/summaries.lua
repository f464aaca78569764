-- summaries.lua - seed 002 `get /campaigns/summaries` (the first page, 50
-- campaigns with their counts) through POST /commands.
-- Environment: CCOND_KEY (the application's API key).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

wrk.method = "POST"
wrk.path = "/commands"
wrk.headers["Authorization"] = "Key " .. os.getenv("CCOND_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"bench","to":"postmaster@activecampaign.msging.net",' ..
	'"method":"get","uri":"/campaigns/summaries"}'

-- a failure is still HTTP 200 in seed 002's envelope: count them
local failures = 0
function response(status, headers, body)
	if status ~= 200 or not body:find('"status":"success"', 1, true) then
		failures = failures + 1
		if failures == 1 then
			io.stderr:write("summaries.lua: unexpected answer " .. status .. ": " ..
				body:sub(1, 300) .. "\n")
		end
	end
end

done = common.done
