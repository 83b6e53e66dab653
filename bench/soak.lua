-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/soak.lua - wrk script for the mixed read/write load of bench/soak.
--
--   wrk -t T -c C -d Ds -s bench/soak.lua http://127.0.0.1:PORT -- TOKENS_FILE T WRITE_PERCENT
--
-- The requests of bench/run, mixed in one run instead of one after another:
-- WRITE_PERCENT of the requests are durable check-in writes (the body of
-- bench/post.lua), the rest alternate between the authenticated check-in read
-- (bearer token) and the dashboard page (the same token as session cookie).
-- Each wrk thread takes its own share of TOKENS_FILE (bench/common.lua) and
-- cycles through it, so the load is spread over many users and spaces. Every answer of 300 or more is counted and reported at the end
-- ("soak: unexpected answers N"), because wrk itself counts a 3xx (a redirect to
-- the sign-in page, say) as a success.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local threads = {}

-- Runs in the main Lua state once per thread, before the thread starts.
function setup(thread)
	common.setup(thread)
	threads[#threads + 1] = thread
end

local tokens = {}
local next_token = 1
local seq = 0
local write_percent = 10
bad = 0

-- Runs in each thread's own Lua state when the thread starts.
function init(args)
	local me
	tokens, me = common.thread_tokens(args[1], tonumber(args[2]) or 1, "soak.lua")
	write_percent = tonumber(args[3]) or 10
	seq = me * 7
end

function request()
	local token = tokens[next_token]
	next_token = next_token % #tokens + 1
	seq = seq + 1
	-- seq * 37 mod 100 spreads the writes evenly instead of in bursts.
	if (seq * 37) % 100 < write_percent then
		return common.write(token, seq, { "soak", "thank you for listening tonight" })
	elseif seq % 2 == 0 then
		return common.read(token)
	else
		return common.dashboard(token)
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
