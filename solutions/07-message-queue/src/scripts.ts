/**
 * The queue's moves, one Lua script each, so that a crash never leaves a job in two places or in none.
 *
 * Every key reaches a script through KEYS — for a job's own hash, the prefix `job:`, to which the script
 * appends the id. A name made up inside a script would miss the client's key prefix (the tests use one on
 * a real Redis) and break on a Redis Cluster. Times come in ARGV as milliseconds (`Date.now()`): Lua on
 * ioredis-mock has 32-bit integers and a TIME that jumps, so no clock arithmetic happens in a script.
 */

/** The keys of the queue's states, in the order the scripts take them. */
export const KEYS = {
  ready: 'queue:ready',
  leased: 'queue:leased',
  delayed: 'queue:delayed',
  dead: 'queue:dead',
  job: 'job:',
} as const;

/**
 * reserve: the next ready job moves to the leased set until ARGV[1] and counts an attempt.
 * KEYS: ready, leased, job prefix. Returns the id, or nil when nothing is ready.
 */
export const RESERVE = `
local id = redis.call('LPOP', KEYS[1])
if not id then return nil end
redis.call('ZADD', KEYS[2], ARGV[1], id)
redis.call('HSET', KEYS[3] .. id, 'status', 'processing')
redis.call('HINCRBY', KEYS[3] .. id, 'attempts', 1)
return id`;

/**
 * Expired leases: each job whose lease ran out before ARGV[1] goes back to ready — or, when that was its
 * ARGV[2]-th attempt, to the dead letters (a job that every worker dies on is poison too).
 * KEYS: leased, ready, dead, job prefix. Returns how many moved.
 */
export const RELEASE_EXPIRED = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local job = KEYS[4] .. id
  local attempts = tonumber(redis.call('HGET', job, 'attempts') or '0')
  if attempts >= tonumber(ARGV[2]) then
    redis.call('HSET', job, 'status', 'failed', 'error',
      'the lease ran out ' .. attempts .. ' times: every worker that took the job died or hung')
    redis.call('RPUSH', KEYS[3], id)
  else
    redis.call('HSET', job, 'status', 'queued')
    redis.call('RPUSH', KEYS[2], id)
  end
end
return #expired`;

/** Due retries: each delayed job due by ARGV[1] goes back to ready. KEYS: delayed, ready, job prefix. */
export const RELEASE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('RPUSH', KEYS[2], id)
  redis.call('HSET', KEYS[3] .. id, 'status', 'queued')
end
return #due`;

/**
 * fail: a failed attempt of a leased job. After ARGV[3] attempts it is failed and dead; before that it
 * waits ARGV[5] × 2^(attempts − 1) ms from ARGV[4] in the delayed set. A job no longer leased (its lease ran
 * out and another worker has it, or it is done) is left alone.
 * KEYS: leased, delayed, dead, the job's hash. ARGV: id, error, maxAttempts, now, backoffMs.
 */
export const FAIL = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 'stale' end
local attempts = tonumber(redis.call('HGET', KEYS[4], 'attempts'))
redis.call('HSET', KEYS[4], 'error', ARGV[2])
if attempts >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[4], 'status', 'failed')
  redis.call('RPUSH', KEYS[3], ARGV[1])
  return 'dead'
end
redis.call('HSET', KEYS[4], 'status', 'queued')
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[5]) * 2 ^ (attempts - 1), ARGV[1])
return 'retry'`;

/**
 * complete: the "applied" marker, the effects and the done status together, or nothing. The first
 * completion of a job runs its effects; any later one (a redelivered copy, a worker that was only slow)
 * finds the marker and only makes sure the job is done. Either way the job leaves every other state, so
 * that no lease, retry or dead letter brings a done job back.
 * KEYS: ready, leased, delayed, dead, applied:<id>, job:<id>, then one key per effect.
 * ARGV: the id, then for each effect its command, its number of arguments, and the arguments.
 */
export const COMPLETE = `
local unpack = table.unpack or unpack
local id = ARGV[1]
local first = redis.call('SET', KEYS[5], '1', 'NX')
if first then
  local at = 2
  for i = 7, #KEYS do
    local command, count = ARGV[at], tonumber(ARGV[at + 1])
    local args = {}
    for j = 1, count do args[j] = ARGV[at + 1 + j] end
    redis.call(command, KEYS[i], unpack(args))
    at = at + 2 + count
  end
end
redis.call('LREM', KEYS[1], 0, id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('LREM', KEYS[4], 0, id)
redis.call('HSET', KEYS[6], 'status', 'done')
redis.call('HDEL', KEYS[6], 'error')
if first then return 1 end
return 0`;
