-- wrk script for GraphQL over HTTP POST.
--
-- Environment:
--   BENCH_REQUESTS  file of requests, one per line: "<headers>\t<body>", where
--                   <headers> is "Name: value" pairs joined by "|" (or "-" for none).
--                   Threads take turns through the lines, so with one line per
--                   request nothing is sent twice until the file wraps around.
--                   "{{n}}" in a body becomes a number unique to that request.
--   BENCH_PATH      the endpoint's path (default /graphql)
--   BENCH_RATE      when set, requests go out on a fixed schedule of this many
--                   per second (across threads) instead of as fast as answers come.
--
-- done() prints one line "BENCH_RESULT {json}" for the harness to read. A response
-- counts as an error when its status is not 200 or its body carries "errors".

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local function split_headers(text)
  local headers = { ["Content-Type"] = "application/json" }
  if text == "-" or text == "" then
    return headers
  end
  for pair in string.gmatch(text, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
    if name then
      headers[name] = value
    end
  end
  return headers
end

local function read_requests(path)
  local list = {}
  local file = assert(io.open(path, "r"), "cannot open BENCH_REQUESTS " .. tostring(path))
  for line in file:lines() do
    local head, body = string.match(line, "^([^\t]*)\t(.*)$")
    if head then
      table.insert(list, { headers = split_headers(head), body = body, unique = string.find(body, "{{n}}", 1, true) ~= nil })
    end
  end
  file:close()
  assert(#list > 0, "BENCH_REQUESTS holds no request")
  return list
end

function init(args)
  requests = read_requests(os.getenv("BENCH_REQUESTS"))
  path = os.getenv("BENCH_PATH") or "/graphql"
  thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
  cursor = index
  sent = 0
  failed = 0
  answered = 0
end

function request()
  local entry = requests[(cursor % #requests) + 1]
  cursor = cursor + thread_count
  sent = sent + 1
  local body = entry.body
  if entry.unique then
    body = string.gsub(body, "{{n}}", tostring(index * 1000000000 + sent))
  end
  return wrk.format("POST", path, entry.headers, body)
end

if os.getenv("BENCH_RATE") then
  -- A fixed schedule per thread: every answered connection takes the next free
  -- slot, however long its answer took, so the offered rate does not sag as
  -- latency grows (as long as some connection is free at each slot).
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
  ]]
  local clock = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, clock)
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
  end
  local next_slot = nil

  function delay()
    local interval = thread_count * 1000 / tonumber(os.getenv("BENCH_RATE"))
    local now = now_ms()
    local slot = math.max(next_slot or now, now)
    next_slot = slot + interval
    return math.floor(slot - now)
  end
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local graphql_errors, answers = 0, 0
  for _, thread in ipairs(threads) do
    graphql_errors = graphql_errors + (thread:get("failed") or 0)
    answers = answers + (thread:get("answered") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"answers":%d,"duration_us":%d,"failed":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, answers, summary.duration, graphql_errors,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
