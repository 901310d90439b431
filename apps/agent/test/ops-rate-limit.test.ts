import type { AddressInfo } from 'node:net'
import { FakeClock } from '@bonafide/core'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type RateLimitOptions, rateLimit } from '../src/http/rate-limit.js'

function appWith(o: Partial<RateLimitOptions> = {}) {
  const clock = new FakeClock()
  const limiter = rateLimit({ capacity: 3, refillPerSecond: 1, clock, key: (c) => c.req.header('x-client') ?? 'anon', ...o })
  const app = new Hono()
  app.use('/token', limiter)
  app.post('/token', (c) => c.json({ ok: true }))
  const call = async (client = 'a', env?: unknown) =>
    app.request('/token', { method: 'POST', headers: { 'x-client': client } }, env as never)
  return { app, clock, limiter, call }
}

const statuses = async (n: number, f: () => Promise<Response>) => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await f()).status)
  return out
}

describe('rate limit', () => {
  it('allows a burst of `capacity`, then answers 429 with Retry-After and an OAuth-style body', async () => {
    const { call } = appWith()
    expect(await statuses(3, () => call())).toEqual([200, 200, 200])
    const res = await call()
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'rate limit exceeded' })
  })

  it('refills at the given rate, never above capacity', async () => {
    const { call, clock } = appWith()
    await statuses(3, () => call())
    clock.advance(1000)
    expect(await statuses(2, () => call())).toEqual([200, 429])
    clock.advance(60_000)
    expect(await statuses(4, () => call())).toEqual([200, 200, 200, 429])
  })

  it('computes Retry-After in whole seconds, at least 1', async () => {
    const { call, clock } = appWith({ capacity: 1, refillPerSecond: 0.1 })
    expect((await call()).status).toBe(200)
    expect((await call()).headers.get('retry-after')).toBe('10')
    clock.advance(4_500)
    expect((await call()).headers.get('retry-after')).toBe('6')
    clock.advance(5_400)
    expect((await call()).headers.get('retry-after')).toBe('1')
    clock.advance(100)
    expect((await call()).status).toBe(200)
  })

  it('keeps one bucket per key', async () => {
    const { call } = appWith({ capacity: 1 })
    expect(await statuses(2, () => call('a'))).toEqual([200, 429])
    expect(await statuses(2, () => call('b'))).toEqual([200, 429])
  })

  it('stays bounded: idle full buckets are dropped, the least recently used go past maxBuckets', async () => {
    const { call, clock, limiter } = appWith({ capacity: 2, refillPerSecond: 1, maxBuckets: 100 })
    for (let i = 0; i < 1000; i++) await call(`c${i}`)
    expect(limiter.size()).toBe(100)
    clock.advance(2_000) // every bucket is full again: forgetting them changes nothing
    await call('fresh')
    expect(limiter.size()).toBe(1)
    // A busy client stays limited while others come and go.
    expect(await statuses(3, () => call('busy'))).toEqual([200, 200, 429])
    for (let i = 0; i < 50; i++) await call(`d${i}`)
    expect((await call('busy')).status).toBe(429)
  })

  it('keys on the client IP by default, `unknown` without a socket', async () => {
    const { call } = appWith({ capacity: 1, key: undefined })
    const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } })
    expect((await call('x', env('10.0.0.1'))).status).toBe(200)
    expect((await call('x', env('10.0.0.1'))).status).toBe(429)
    expect((await call('x', env('10.0.0.2'))).status).toBe(200)
    expect((await call('x')).status).toBe(200)
    expect((await call('y')).status).toBe(429) // both 'unknown'
  })

  it('reads the peer address on @hono/node-server', async () => {
    const { app } = appWith({ capacity: 1, key: undefined })
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await new Promise<void>((r) => server.once('listening', () => r()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
    try {
      expect((await fetch(url, { method: 'POST' })).status).toBe(200)
      const limited = await fetch(url, { method: 'POST' })
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('1')
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('rejects nonsensical settings', () => {
    expect(() => rateLimit({ capacity: 0, refillPerSecond: 1 })).toThrow()
    expect(() => rateLimit({ capacity: 1, refillPerSecond: 0 })).toThrow()
    expect(() => rateLimit({ capacity: 1, refillPerSecond: 1, maxBuckets: 0 })).toThrow()
  })
})
