-- bench/mixed.lua - wrk script for issue 18's mixed run: reads and writes of many users at once.
--
--   wrk -t T -c C -d Ds --latency -s bench/mixed.lua http://127.0.0.1:PORT -- TOKENS_FILE T
--
-- TOKENS_FILE holds one bearer token per line (bench/run logs in up to 128 seeded users, partners
-- of the same spaces). Thread n (0-based) of T takes the tokens on lines n+1, n+1+T, ... as
-- bench/post.lua does, and each request goes to the thread's next token in turn. Of every ten
-- requests, nine read what that user reads (their check-in list through the API, or their
-- dashboard page with the session cookie, alternately) and one writes a check-in shared with the
-- partner, which changes what both of them read next: 90 % reads, 10 % writes that invalidate.
-- Whether each read reflects the writes acknowledged before it is checked beside this run
-- (bench/run's freshness probe), since wrk's Lua cannot tell which request an answer belongs to.

local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

local tokens = {}
local next_token = 1
local seq = 0

function init(args)
	local path = args[1]
	local nthreads = tonumber(args[2]) or 1
	assert(path, "mixed.lua: pass the tokens file after --")
	local all = {}
	local f = assert(io.open(path, "r"))
	for line in f:lines() do
		if line ~= "" then
			all[#all + 1] = line
		end
	end
	f:close()
	assert(#all > 0, "mixed.lua: no tokens in " .. path)
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
	if seq % 10 == 0 then
		local body = string.format(
			'{"mood":%d,"connection":%d,"secure":%d,"appreciation":"mixed %d: the walk after dinner","visibility":"partner"}',
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
