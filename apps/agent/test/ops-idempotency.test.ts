import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { FakeClock } from '@bonafide/core'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../src/db/database.js'
import { createKek, type Kek } from '../src/db/kek.js'
import { readJson } from '../src/http/body.js'
import { idempotency } from '../src/http/idempotency.js'
import { toProblem } from '../src/http/problem.js'
import { DATABASES } from './databases.js'

const DAY = 86_400_000
const MAX = 4096

/** A /v1 app: the test "auth" sets apiKeyId from x-test-key; POST /v1/things reads its body with readJson and inserts a row. */
function testApp(db: Db, clock: FakeClock, kek?: Kek) {
  const s = { runs: 0, fail: false, gate: undefined as Promise<void> | undefined, reached: () => {} }
  const app = new Hono()
  app.onError((e) => toProblem(e, () => undefined))
  app.use('/v1/*', async (c, next) => {
    c.set('apiKeyId', c.req.header('x-test-key') ?? 'key-a')
    await next()
  })
  app.use('/v1/*', idempotency({ db, clock, maxBodyBytes: MAX, ...(kek ? { kek } : {}) }))
  app.post('/v1/things', async (c) => {
    s.runs++
    const body = await readJson(c, MAX)
    s.reached()
    if (s.gate) await s.gate
    if (s.fail) throw new Error('downstream failure')
    const id = `idem-${randomUUID()}`
    await db
      .insertInto('settings')
      .values({ key: id, value: JSON.stringify(body) })
      .execute()
    return c.json({ id, echo: body }, 201)
  })
  app.post('/v1/other', async (c) => c.json(await readJson(c, MAX)))
  app.post('/v1/empty', (c) => {
    s.runs++
    return c.body(null, 204)
  })
  app.get('/v1/things', (c) => c.json({ ok: true }))
  const call = async (r: Request): Promise<Response> => app.fetch(r)
  return { app, s, call }
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://agent.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

for (const kind of DATABASES) {
  describe(`idempotency (${kind.name})`, () => {
    let db: Db
    let clock: FakeClock
    let t: ReturnType<typeof testApp>
    const things = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from settings where key like 'idem-%'`.execute(db)).rows[0]?.n)
    const rows = async () => db.selectFrom('idempotency_keys').selectAll().execute()

    beforeEach(async () => {
      db = (await kind.open()).db
      clock = new FakeClock(1_750_000_000_000)
      t = testApp(db, clock)
    })

    it('runs the first request once and replays it for the same request', async () => {
      const first = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-1' }))
      expect(first.status).toBe(201)
      expect(first.headers.get('idempotent-replayed')).toBeNull()
      const body = await first.json()
      for (let i = 0; i < 2; i++) {
        const again = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-1' }))
        expect(again.status).toBe(201)
        expect(again.headers.get('idempotent-replayed')).toBe('true')
        expect(again.headers.get('content-type')).toMatch(/^application\/json/)
        expect(await again.json()).toEqual(body)
      }
      expect(t.s.runs).toBe(1)
      expect(await things()).toBe(1)
      const [row] = await rows()
      expect(row).toMatchObject({ status: 201, created_at: clock.now(), expires_at: clock.now() + DAY })
      expect(row?.key).not.toContain('k-1')
    })

    it('answers 422 when the key comes back with another body or path', async () => {
      expect((await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-2' }))).status).toBe(201)
      for (const r of [
        post('/v1/things', { n: 2 }, { 'idempotency-key': 'k-2' }),
        post('/v1/other', { n: 1 }, { 'idempotency-key': 'k-2' }),
      ]) {
        const res = await t.call(r)
        expect(res.status).toBe(422)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(await res.json()).toMatchObject({ status: 422, code: 'agent.idempotency_key_reused' })
      }
      expect(await things()).toBe(1)
    })

    it('scopes keys per API key, and leaves requests without the header (and GETs) alone', async () => {
      for (const k of ['key-a', 'key-b'])
        expect((await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'same', 'x-test-key': k }))).status).toBe(201)
      expect((await t.call(post('/v1/things', { n: 1 }))).status).toBe(201)
      expect((await t.call(post('/v1/things', { n: 1 }))).status).toBe(201)
      const get = await t.call(new Request('http://agent.test/v1/things', { headers: { 'idempotency-key': 'same' } }))
      expect(get.status).toBe(200)
      expect(await things()).toBe(4)
      expect(await rows()).toHaveLength(2)
    })

    it('answers 409 while the first request is in flight, then replays it', async () => {
      let release = () => {}
      t.s.gate = new Promise<void>((r) => (release = r))
      const reached = new Promise<void>((r) => (t.s.reached = r))
      const first = t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-3' }))
      await reached
      const second = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-3' }))
      expect(second.status).toBe(409)
      expect(await second.json()).toMatchObject({ code: 'agent.idempotency_key_in_flight' })
      expect((await rows())[0]?.status).toBeNull()
      release()
      expect((await first).status).toBe(201)
      const third = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-3' }))
      expect(third.headers.get('idempotent-replayed')).toBe('true')
      expect(t.s.runs).toBe(1)
      expect(await things()).toBe(1)
    })

    it('lets exactly one of many concurrent requests run', async () => {
      let release = () => {}
      t.s.gate = new Promise<void>((r) => (release = r))
      let settled = 0
      const all = Array.from({ length: 8 }, () =>
        t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-race' })).finally(() => settled++),
      )
      while (settled < 7) await new Promise((r) => setTimeout(r, 5))
      release()
      const statuses = (await Promise.all(all)).map((r) => r.status).sort()
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
      expect(await things()).toBe(1)
    })

    it('frees the key after a 5xx so that a retry runs', async () => {
      t.s.fail = true
      const failed = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-4' }))
      expect(failed.status).toBe(500)
      expect(await rows()).toHaveLength(0)
      t.s.fail = false
      const retry = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-4' }))
      expect(retry.status).toBe(201)
      expect(retry.headers.get('idempotent-replayed')).toBeNull()
      expect(t.s.runs).toBe(2)
      expect(await things()).toBe(1)
    })

    it('keeps and replays 4xx problems and empty 204s', async () => {
      const bad = () => post('/v1/things', '{"n":', { 'idempotency-key': 'k-5' })
      const first = await t.call(bad())
      expect(first.status).toBe(400)
      const again = await t.call(bad())
      expect(again.status).toBe(400)
      expect(again.headers.get('content-type')).toBe('application/problem+json')
      expect(again.headers.get('idempotent-replayed')).toBe('true')
      expect(await again.json()).toEqual(await first.json())
      for (let i = 0; i < 2; i++) {
        const e = await t.call(post('/v1/empty', {}, { 'idempotency-key': 'k-6' }))
        expect(e.status).toBe(204)
        expect(await e.text()).toBe('')
      }
      expect(t.s.runs).toBe(2)
    })

    it('ignores expired rows and purges them', async () => {
      expect((await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-7' }))).status).toBe(201)
      expect((await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-8' }))).status).toBe(201)
      clock.advance(DAY)
      const again = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': 'k-7' }))
      expect(again.status).toBe(201)
      expect(again.headers.get('idempotent-replayed')).toBeNull()
      expect(await things()).toBe(3)
      const left = await rows()
      expect(left).toHaveLength(1) // k-8 was purged on the way
      expect(left[0]?.created_at).toBe(clock.now())
    })

    it('rejects malformed keys and oversized bodies with problems', async () => {
      for (const key of ['', 'a'.repeat(256), 'caf\u00e9', 'tab\there']) {
        const res = await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': key }))
        expect(res.status).toBe(400)
        expect(await res.json()).toMatchObject({ code: 'agent.idempotency_key_invalid' })
      }
      expect((await t.call(post('/v1/things', { n: 1 }, { 'idempotency-key': `${'a'.repeat(254)} ` }))).status).toBe(201)
      const big = await t.call(post('/v1/things', { pad: 'x'.repeat(MAX) }, { 'idempotency-key': 'k-9' }))
      expect(big.status).toBe(413)
      expect(await big.json()).toMatchObject({ code: 'agent.body_too_large' })
      expect(t.s.runs).toBe(1)
      expect(await rows()).toHaveLength(1)
    })

    it('with a kek, keeps responses sealed (bound to their row) and still replays them', async () => {
      const sealed = testApp(db, clock, createKek(randomBytes(32)))
      const send = (key: string) => sealed.call(post('/v1/things', { secret: 'SHOWN-ONCE' }, { 'idempotency-key': key }))
      const first = await send('k-s1')
      const body = await first.json()
      const again = await send('k-s1')
      expect(again.headers.get('idempotent-replayed')).toBe('true')
      expect(await again.json()).toEqual(body)
      expect((await send('k-s2')).status).toBe(201)
      const rowId = (k: string) => createHash('sha256').update(`key-a\n${k}`).digest('base64url')
      const s1 = await db.selectFrom('idempotency_keys').selectAll().where('key', '=', rowId('k-s1')).executeTakeFirstOrThrow()
      expect(Object.keys(s1.response ?? {})).toEqual(['sealed'])
      expect(JSON.stringify(await rows())).not.toContain('SHOWN-ONCE')
      // A sealed response moved to another row does not open there.
      await db
        .updateTable('idempotency_keys')
        .set({ response: JSON.stringify(s1.response) })
        .where('key', '=', rowId('k-s2'))
        .execute()
      expect((await send('k-s2')).status).toBe(500)
      expect(sealed.s.runs).toBe(2)
    })

    it('fails loudly when mounted without an API key id', async () => {
      const app = new Hono()
      app.onError((e) => toProblem(e, () => undefined))
      app.use('/v1/*', idempotency({ db, clock }))
      app.post('/v1/things', (c) => c.json({}))
      expect((await app.fetch(post('/v1/things', {}, { 'idempotency-key': 'k' }))).status).toBe(500)
      expect((await app.fetch(post('/v1/things', {}))).status).toBe(200)
    })

    it('leaves the body readable downstream on @hono/node-server', async () => {
      const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 })
      await new Promise<void>((r) => server.once('listening', () => r()))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      try {
        const send = () =>
          fetch(`${url}/v1/things`, post('/v1/things', { claims: { a: 'ü'.repeat(500) } }, { 'idempotency-key': 'k-net' }))
        const first = await send()
        expect(first.status).toBe(201)
        const body = (await first.json()) as { echo: unknown }
        expect(body.echo).toEqual({ claims: { a: 'ü'.repeat(500) } })
        const again = await send()
        expect(again.headers.get('idempotent-replayed')).toBe('true')
        expect(await again.json()).toEqual(body)
        expect(await things()).toBe(1)
        const big = await fetch(`${url}/v1/things`, post('/v1/things', { pad: 'x'.repeat(MAX) }, { 'idempotency-key': 'k-big' }))
        expect(big.status).toBe(413)
      } finally {
        await new Promise((r) => server.close(r))
      }
    })
  })
}
