-- send.lua - seed 000 JSON sends of 100 contacts each:
-- POST /v1/applications/{app}/campaigns/{campaign}/send, no Idempotency-Key.
-- The bodies cycle through 64 audiences (different phone numbers and
-- custom fields), built once per thread, so wrk spends no time on them.
-- Environment: CCOND_KEY, CCOND_APP, CCOND_CAMPAIGN.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local bodies = {}
local next_body = 1
local path, auth

local function body(k)
	local c = {}
	for i = 0, 99 do
		local n = (k * 100 + i) % 10000000
		c[#c + 1] = string.format(
			'{"contactCode":"3466%07d","channelType":"cloud_api",' ..
			'"customFields":{"name":"Name %d","ticketId":"%d","age":"%d"}}',
			n, n, 5000 + i, 18 + i % 60)
	end
	return '{"contacts":[' .. table.concat(c, ",") .. '],"slicingCondition":"fragmentedSlots"}'
end

function init(args)
	path = string.format("/v1/applications/%s/campaigns/%s/send",
		os.getenv("CCOND_APP"), os.getenv("CCOND_CAMPAIGN"))
	auth = "Bearer " .. os.getenv("CCOND_KEY")
	for k = 1, 64 do
		bodies[k] = body(k)
	end
end

function request()
	local b = bodies[next_body]
	next_body = next_body % #bodies + 1
	return wrk.format("POST", path, {
		["Authorization"] = auth,
		["Content-Type"] = "application/json",
	}, b)
end

local failures = 0
function response(status, headers, body)
	if status ~= 202 then
		failures = failures + 1
		if failures == 1 then
			io.stderr:write("send.lua: unexpected answer " .. status .. ": " ..
				body:sub(1, 300) .. "\n")
		end
	end
end

done = common.done
