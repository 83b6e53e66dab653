-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/post.lua - wrk script for the durable check-in write benchmark.
--
--   wrk -t T -c C -d Ds --latency -s bench/post.lua http://127.0.0.1:PORT -- TOKENS_FILE T
--
-- TOKENS_FILE holds one bearer token per line (bench/run logs in many seeded
-- users and writes it). Each wrk thread takes its own share of the tokens
-- (bench/common.lua) and every request goes to its next token in turn: the
-- writes are spread over many users and spaces, as they would be in real use.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

setup = common.setup

local tokens = {}
local next_token = 1
local seq = 0

-- Runs in each thread's own Lua state when the thread starts.
function init(args)
	local me
	tokens, me = common.thread_tokens(args[1], tonumber(args[2]) or 1, "post.lua")
	-- Start each thread at a different point of the mood cycle.
	seq = me * 7
end

function request()
	local token = tokens[next_token]
	next_token = next_token % #tokens + 1
	seq = seq + 1
	return common.write(token, seq, { "bench", "thank you for listening tonight" })
end
