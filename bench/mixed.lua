-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/mixed.lua - wrk script for issue 18's mixed run: reads and writes of many users at once.
--
--   wrk -t T -c C -d Ds --latency -s bench/mixed.lua http://127.0.0.1:PORT -- TOKENS_FILE T
--
-- TOKENS_FILE holds one bearer token per line (bench/run logs in up to 128 seeded users, partners
-- of the same spaces). Each wrk thread takes its own share of the tokens (bench/common.lua),
-- and each request goes to the thread's next token in turn. Of every ten
-- requests, nine read what that user reads (their check-in list through the API, or their
-- dashboard page with the session cookie, alternately) and one writes a check-in shared with the
-- partner, which changes what both of them read next: 90 % reads, 10 % writes that invalidate.
-- Whether each read reflects the writes acknowledged before it is checked beside this run
-- (bench/run's freshness probe), since wrk's Lua cannot tell which request an answer belongs to.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

setup = common.setup

local tokens = {}
local next_token = 1
local seq = 0

function init(args)
	local me
	tokens, me = common.thread_tokens(args[1], tonumber(args[2]) or 1, "mixed.lua")
	seq = me * 7
end

function request()
	local token = tokens[next_token]
	next_token = next_token % #tokens + 1
	seq = seq + 1
	if seq % 10 == 0 then
		return common.write(token, seq, { "mixed", "the walk after dinner" })
	elseif seq % 2 == 0 then
		return common.read(token)
	else
		return common.dashboard(token)
	end
end
