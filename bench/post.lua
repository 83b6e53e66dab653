-- bench/post.lua - wrk script for the durable check-in write benchmark.
--
--   wrk -t T -c C -d Ds --latency -s bench/post.lua http://127.0.0.1:PORT -- TOKENS_FILE T
--
-- TOKENS_FILE holds one bearer token per line (bench/run logs in many seeded
-- users and writes it). Thread n (0-based) of T takes the tokens on lines
-- n+1, n+1+T, n+1+2T, ... so no two wrk threads write as the same user, and
-- every request of a thread goes to its next token in turn: the writes are
-- spread over many users and spaces, as they would be in real use.
-- With fewer tokens than threads, thread n falls back to token n mod count.

local counter = 0

-- Runs in the main Lua state once per thread, before the thread starts.
function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

local tokens = {}
local next_token = 1
local seq = 0

-- Runs in each thread's own Lua state when the thread starts.
function init(args)
	local path = args[1]
	local nthreads = tonumber(args[2]) or 1
	assert(path, "post.lua: pass the tokens file after --")
	local all = {}
	local f = assert(io.open(path, "r"))
	for line in f:lines() do
		if line ~= "" then
			all[#all + 1] = line
		end
	end
	f:close()
	assert(#all > 0, "post.lua: no tokens in " .. path)
	local me = id or 0
	for i = me + 1, #all, nthreads do
		tokens[#tokens + 1] = all[i]
	end
	if #tokens == 0 then
		tokens[1] = all[(me % #all) + 1]
	end
	-- Start each thread at a different point of the mood cycle.
	seq = me * 7
end

function request()
	local token = tokens[next_token]
	next_token = next_token % #tokens + 1
	seq = seq + 1
	local body = string.format(
		'{"mood":%d,"connection":%d,"secure":%d,"appreciation":"bench %d: thank you for listening tonight","visibility":"partner"}',
		seq % 5 + 1, seq % 11, (seq * 3) % 11, seq)
	return wrk.format("POST", "/api/v1/checkins", {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
	}, body)
end
