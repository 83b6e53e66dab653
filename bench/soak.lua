-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/soak.lua - wrk script for the mixed read/write load of bench/soak.
--
--   wrk -t T -c C -d Ds -s bench/soak.lua http://127.0.0.1:PORT -- TOKENS_FILE T WRITE_PERCENT
--
-- The requests of bench/run, mixed in one run instead of one after another:
-- WRITE_PERCENT of the requests are durable check-in writes (the body of
-- bench/post.lua), the rest alternate between the authenticated check-in read
-- (bearer token) and the dashboard page (the same token as session cookie).
-- Thread n (0-based) of T takes the tokens on lines n+1, n+1+T, ... of
-- TOKENS_FILE and cycles through them, so the load is spread over many users
-- and spaces. Every answer of 300 or more is counted and reported at the end
-- ("soak: unexpected answers N"), because wrk itself counts a 3xx (a redirect to
-- the sign-in page, say) as a success.

local counter = 0
local threads = {}

-- Runs in the main Lua state once per thread, before the thread starts.
function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
	threads[#threads + 1] = thread
end

local tokens = {}
local next_token = 1
local seq = 0
local write_percent = 10
bad = 0

-- Runs in each thread's own Lua state when the thread starts.
function init(args)
	local path = args[1]
	local nthreads = tonumber(args[2]) or 1
	write_percent = tonumber(args[3]) or 10
	assert(path, "soak.lua: pass the tokens file after --")
	local all = {}
	local f = assert(io.open(path, "r"))
	for line in f:lines() do
		if line ~= "" then
			all[#all + 1] = line
		end
	end
	f:close()
	assert(#all > 0, "soak.lua: no tokens in " .. path)
	local me = id or 0
	for i = me + 1, #all, nthreads do
		tokens[#tokens + 1] = all[i]
	end
	if #tokens == 0 then
		tokens[1] = all[(me % #all) + 1]
	end
	seq = me * 7
end

function request()
	local token = tokens[next_token]
	next_token = next_token % #tokens + 1
	seq = seq + 1
	-- seq * 37 mod 100 spreads the writes evenly instead of in bursts.
	if (seq * 37) % 100 < write_percent then
		local body = string.format(
			'{"mood":%d,"connection":%d,"secure":%d,"appreciation":"soak %d: thank you for listening tonight","visibility":"partner"}',
			seq % 5 + 1, seq % 11, (seq * 3) % 11, seq)
		return wrk.format("POST", "/api/v1/checkins", {
			["Authorization"] = "Bearer " .. token,
			["Content-Type"] = "application/json",
		}, body)
	elseif seq % 2 == 0 then
		return wrk.format("GET", "/api/v1/checkins?author=all&limit=20", {
			["Authorization"] = "Bearer " .. token,
		})
	else
		return wrk.format("GET", "/dashboard", {
			["Cookie"] = "hearth_session=" .. token,
		})
	end
end

function response(status, headers, body)
	if status >= 300 then
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local total = 0
	for _, t in ipairs(threads) do
		total = total + (tonumber(t:get("bad")) or 0)
	end
	io.write(string.format("soak: unexpected answers %d\n", total))
end
