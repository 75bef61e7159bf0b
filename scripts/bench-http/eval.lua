-- wrk script: POSTs real evaluation requests with varied entity ids, flags and contexts.
--
--   wrk -t1 -c64 -d10s -s eval.lua http://127.0.0.1:PORT -- MODE NAMESPACE NVARIANT NBOOLEAN [PACE_MS]
--
-- MODE: variant | boolean | batch (20 flags per request: 12 variant + 8 boolean).
-- Flags are named variant-<i> (0 <= i < NVARIANT) and boolean-<i> (0 <= i < NBOOLEAN), as
-- scripts/bench-http/run.py creates them. PACE_MS > 0 makes every connection wait that many
-- milliseconds between a response and its next request (the fixed-rate runs: rate ~ connections*1000/PACE_MS).
-- done() prints one JSON line (prefixed RESULT) with throughput and latency percentiles in microseconds.

local mode, namespace, nvariant, nboolean, pace = "variant", "default", 1, 0, 0
local pool = {}
local next_index = 1

local plans = { "free", "pro", "enterprise", "enterprise", "team" }
local countries = { "DE", "FR", "US", "GB", "NL", "ES", "IT", "JP", "BR", "IN" }
local platforms = { "ios", "android", "web", "web" }

local function context_json()
  local plan = plans[math.random(#plans)]
  local country = countries[math.random(#countries)]
  local seats = math.random(1, 2000)
  local beta = (math.random(3) == 1) and "true" or "false"
  local year = 2022 + math.random(0, 3)
  local month = math.random(1, 12)
  return string.format(
    '{"plan":"%s","country":"%s","seats":"%d","beta":"%s","signup":"%04d-%02d-15T10:00:00Z","platform":"%s"}',
    plan, country, seats, beta, year, month, platforms[math.random(#platforms)])
end

local function entity_id()
  if math.random(100) == 1 then
    return string.format("staff-%d", math.random(1, 500))
  end
  return string.format("user-%08x", math.random(0, 0x7fffffff))
end

local function item(kind, index, entity, ctx)
  return string.format('{"namespaceKey":"%s","flagKey":"%s-%d","entityId":"%s","context":%s}',
    namespace, kind, index, entity, ctx)
end

local function build_body()
  if mode == "variant" then
    return item("variant", math.random(0, nvariant - 1), entity_id(), context_json())
  elseif mode == "boolean" then
    return item("boolean", math.random(0, nboolean - 1), entity_id(), context_json())
  else
    local entity, ctx = entity_id(), context_json()
    local items = {}
    for i = 1, 12 do items[#items + 1] = item("variant", math.random(0, nvariant - 1), entity, ctx) end
    for i = 1, 8 do items[#items + 1] = item("boolean", math.random(0, nboolean - 1), entity, ctx) end
    return '{"requests":[' .. table.concat(items, ",") .. ']}'
  end
end

function init(args)
  mode = args[1] or mode
  namespace = args[2] or namespace
  nvariant = tonumber(args[3] or "1")
  nboolean = tonumber(args[4] or "0")
  pace = tonumber(args[5] or "0")
  math.randomseed(12345)
  local path = "/evaluate/v1/" .. mode
  local headers = { ["Content-Type"] = "application/json" }
  for i = 1, 2000 do
    pool[i] = wrk.format("POST", path, headers, build_body())
  end
end

function request()
  local r = pool[next_index]
  next_index = next_index + 1
  if next_index > #pool then next_index = 1 end
  return r
end

-- wrk decides whether to call delay() when it loads the script, so the paced variant is this file
-- plus `function delay() return pace end` (run.py writes it to its temp directory).

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
