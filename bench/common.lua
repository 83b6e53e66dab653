-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/common.lua - what the wrk scripts bench/post.lua, bench/mixed.lua and bench/soak.lua
-- share: which tokens each wrk thread takes, and the three requests they send. Each script loads
-- it with dofile from its own directory (wrk runs every thread in a Lua state of its own, so a
-- script's globals are per thread and this file is loaded once in each).

local common = {}

local counter = 0

-- Runs in the main Lua state once per thread, before the thread starts: numbers the threads.
function common.setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

-- In a thread's init: the tokens of TOKENS_FILE (one bearer token per line) this thread takes,
-- and its number. Thread n (0-based) of NTHREADS takes the lines n+1, n+1+NTHREADS, ... so no
-- two threads act as the same user and the load is spread over many users and spaces; with
-- fewer tokens than threads, thread n falls back to token n mod count.
function common.thread_tokens(path, nthreads, script)
	assert(path, script .. ": pass the tokens file after --")
	local all = {}
	local f = assert(io.open(path, "r"))
	for line in f:lines() do
		if line ~= "" then
			all[#all + 1] = line
		end
	end
	f:close()
	assert(#all > 0, script .. ": no tokens in " .. path)
	local me = id or 0
	local tokens = {}
	for i = me + 1, #all, nthreads do
		tokens[#tokens + 1] = all[i]
	end
	if #tokens == 0 then
		tokens[1] = all[(me % #all) + 1]
	end
	return tokens, me
end

-- A durable check-in shared with the partner; seq varies its scales and words.
function common.write(token, seq, words)
	local body = string.format(
		'{"mood":%d,"connection":%d,"secure":%d,"appreciation":"%s %d: %s","visibility":"partner"}',
		seq % 5 + 1, seq % 11, (seq * 3) % 11, words[1], seq, words[2])
	return wrk.format("POST", "/api/v1/checkins", {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
	}, body)
end

-- The user's check-in list through the API (bearer token), as bench/run's "read".
function common.read(token)
	return wrk.format("GET", "/api/v1/checkins?author=all&limit=20", {
		["Authorization"] = "Bearer " .. token,
	})
end

-- The user's dashboard page (the same token as the session cookie).
function common.dashboard(token)
	return wrk.format("GET", "/dashboard", {
		["Cookie"] = "hearth_session=" .. token,
	})
end

return common
