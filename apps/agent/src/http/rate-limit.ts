import { type Clock, systemClock } from '@bonafide/core'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'

export interface RateLimitOptions {
  /** Burst size: tokens in a full bucket. */
  capacity: number
  /** Tokens added per second. */
  refillPerSecond: number
  /** Whose bucket (default: the client IP, `unknown` when there is no socket). */
  key?: (c: Context) => string
  clock?: Clock
  /** Most buckets kept (default 10 000); past it the least recently used go first. */
  maxBuckets?: number
}

interface Bucket {
  tokens: number
  at: number
}

/** The peer address from @hono/node-server (needs `app.fetch(req, env)`), else `unknown`. */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

const LIMITED = JSON.stringify({ error: 'temporarily_unavailable', error_description: 'rate limit exceeded' })

/** The middleware, and how many buckets it holds. */
export type RateLimiter = MiddlewareHandler & { size(): number }

/** In-memory token bucket per key; over the limit: 429, `Retry-After`, an OAuth-style error body. */
export function rateLimit(o: RateLimitOptions): RateLimiter {
  const max = o.maxBuckets ?? 10_000
  if (!(o.capacity >= 1 && o.refillPerSecond > 0 && max >= 1))
    throw new Error('rateLimit: capacity ≥ 1, refillPerSecond > 0, maxBuckets ≥ 1')
  const clock = o.clock ?? systemClock
  const keyOf = o.key ?? clientIp
  const fullAfterMs = (o.capacity / o.refillPerSecond) * 1000
  const buckets = new Map<string, Bucket>()

  const take = (key: string, now: number): number => {
    const b = buckets.get(key)
    const tokens = b ? Math.min(o.capacity, b.tokens + ((now - b.at) / 1000) * o.refillPerSecond) : o.capacity
    buckets.delete(key) // re-inserted last: the map is in least-recently-used order
    const left = tokens >= 1 ? tokens - 1 : tokens
    buckets.set(key, { tokens: left, at: now })
    evict(now)
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / o.refillPerSecond))
  }
  // Drop buckets idle long enough to be full again (no loss), and the oldest past `max`.
  const evict = (now: number) => {
    for (const [k, b] of buckets) {
      if (buckets.size <= max && now - b.at < fullAfterMs) break
      buckets.delete(k)
    }
  }

  const mw: MiddlewareHandler = async (c, next) => {
    const wait = take(keyOf(c), clock.now())
    if (wait === 0) return next()
    return new Response(LIMITED, {
      status: 429,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': String(wait) },
    })
  }
  return Object.assign(mw, { size: () => buckets.size })
}
