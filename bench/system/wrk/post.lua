-- wrk script for postMessage load (used for Parley and the baselines alike, so both pay the same
-- client cost). Run as:
--   wrk -s post.lua <url> -- <sessions.tsv> <ham.txt> <adversarial.txt|-> <threads> <advEvery> <idNonce|-> [advLife] [textOffset]
-- sessions.tsv: one session per line, TAB-separated:
--   kind(h|a)  path  bodyPrefix  bodySuffix  Header: value  [Header: value ...]
-- texts files: one JSON-encoded string per line; body = bodyPrefix .. text .. bodySuffix, with
-- `,"messageId":"<idNonce>-<thread>-<session>-<n>"` before bodySuffix unless idNonce is "-" (the
-- format of plan.ts messageIdPrefix; n counts each session's posts).
-- setup() numbers the threads; each thread's init() keeps its own slice of the sessions
-- (line i goes to thread i % threads) so no two threads rotate through the same sender.
-- Every request goes to the thread's next ham session in turn (round robin per request, on
-- whichever of its connections is free — sessions are not tied to connections), except every
-- advEvery-th, which goes to the current adversarial session: it posts the adversarial texts in
-- order from the first, advLife of them (default: all), then the next adversarial session takes
-- over (bench/system/adversarial.ts: advLife is the post at which the screen ends a sender).

local threads = {}
local nsetup = 0

function setup(thread)
  thread:set("tid", nsetup)
  nsetup = nsetup + 1
  table.insert(threads, thread)
end

local function split_tabs(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(out, field)
  end
  return out
end

local function read_lines(path)
  local out = {}
  if path == nil or path == "-" then return out end
  for line in io.lines(path) do
    if #line > 0 then table.insert(out, line) end
  end
  return out
end

local host_header
local ham_sessions, adv_sessions = {}, {}
local ham_texts, adv_texts = {}, {}
local adv_every, adv_life, adv_left = 0, 0, 0
local n, hi, ai = 0, 0, 0

function init(args)
  local nthreads = tonumber(args[4]) or 1
  adv_every = tonumber(args[5]) or 0
  local nonce = args[6]
  if nonce == "-" then nonce = nil end
  adv_life = tonumber(args[7]) or 0
  -- how many texts each ham sender posted in this server's earlier runs: it goes on from there, so a
  -- run does not repeat the texts of the one before (a repeat within 30 s is a duplicate to Tier-1)
  local text_offset = tonumber(args[8]) or 0
  ham_texts = read_lines(args[2])
  adv_texts = read_lines(args[3])
  local all = {}
  local i = 0
  host_header = wrk.headers["Host"] or (wrk.host .. ":" .. tostring(wrk.port))
  for line in io.lines(args[1]) do
    if #line > 0 then
      local f = split_tabs(line)
      local headers = { ["Content-Type"] = "application/json" }
      for k = 5, #f do
        local name, value = f[k]:match("^([^:]+):%s*(.*)$")
        if name then headers[name] = value end
      end
      -- each session keeps its own text pointer, started at a different offset, so a sender
      -- walks through distinct texts instead of repeating one (duplicate rules stay quiet on ham)
      -- the request head is formatted once per session: wrk.format() per request (a table walk and
      -- many concatenations) made the single Lua thread the bottleneck before a bare uWS server
      local head = "POST " .. f[2] .. " HTTP/1.1\r\nHost: " .. host_header .. "\r\n"
      for name, value in pairs(headers) do head = head .. name .. ": " .. value .. "\r\n" end
      head = head .. "Content-Length: "
      local s = { kind = f[1], head = head, prefix = f[3], suffix = f[4], ptr = i * 7919 + text_offset, n = 0 }
      -- an adversarial sender starts at the first adversarial text (its life is counted from there)
      if s.kind == "a" then s.ptr = 0 end
      if nonce then s.idp = ',"messageId":"' .. nonce .. "-" .. tid .. "-" .. i .. "-" end
      table.insert(all, s)
      if i % nthreads == tid then
        if s.kind == "a" then table.insert(adv_sessions, s) else table.insert(ham_sessions, s) end
      end
      i = i + 1
    end
  end
  -- fewer sessions than threads: share rather than leave a thread without work
  if #ham_sessions == 0 then
    for _, s in ipairs(all) do if s.kind ~= "a" then table.insert(ham_sessions, s) end end
  end
  if #adv_sessions == 0 then
    for _, s in ipairs(all) do if s.kind == "a" then table.insert(adv_sessions, s) end end
  end
  if adv_life <= 0 then adv_life = #adv_texts end
  codes = {}
end

function request()
  n = n + 1
  local s, texts
  if adv_every > 0 and #adv_sessions > 0 and #adv_texts > 0 and n % adv_every == 0 then
    if adv_left <= 0 then
      ai = ai % #adv_sessions + 1
      adv_left = adv_life
    end
    adv_left = adv_left - 1
    s, texts = adv_sessions[ai], adv_texts
  else
    hi = hi % #ham_sessions + 1
    s, texts = ham_sessions[hi], ham_texts
  end
  s.ptr = s.ptr % #texts + 1
  local body
  if s.idp then
    s.n = s.n + 1
    body = s.prefix .. texts[s.ptr] .. s.idp .. s.n .. '"' .. s.suffix
  else
    body = s.prefix .. texts[s.ptr] .. s.suffix
  end
  return s.head .. #body .. "\r\n\r\n" .. body
end

local function codes_json()
  local merged = {}
  for _, t in ipairs(threads) do
    local c = t:get("codes")
    if type(c) == "table" then
      for k, v in pairs(c) do merged[k] = (merged[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s":%d', tostring(k), v)) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- wrk's own CPU time (user + system, all its threads, in clock ticks) from /proc: the load
-- client shares the machine's cores with the server, so its cost per request bounds what any server
-- can reach here. -1 where /proc is not there.
local function cpu_ticks()
  local f = io.open("/proc/self/stat", "r")
  if not f then return -1 end
  local stat = f:read("*a")
  f:close()
  local rest = stat:match("%) (.*)$")
  if not rest then return -1 end
  local fields = {}
  for x in rest:gmatch("%S+") do table.insert(fields, x) end
  -- after the ")": state is field 3 of stat, so utime (14) and stime (15) are entries 12 and 13
  return (tonumber(fields[12]) or 0) + (tonumber(fields[13]) or 0)
end

function done(summary, latency, requests)
  local e = summary.errors
  -- one machine-readable line; latencies are microseconds from wrk's HdrHistogram
  io.write(string.format(
    '@@BENCH {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f},"codes":%s,"cpuTicks":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, codes_json(), cpu_ticks()))
end
