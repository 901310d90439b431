/**
 * Webhooks: a durable outbox written with each event, Standard Webhooks signatures (HMAC-SHA256 over id,
 * timestamp and body), retries with backoff and jitter, dead letters, redelivery; real HTTP receivers on loopback,
 * on PGlite and on PostgreSQL.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeClock } from '@bonafide/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKek } from '../src/db/kek.js'
import { appendEvent } from '../src/db/repositories/events.js'
import { WebhookService } from '../src/services/webhook-service.js'
import { verifyWebhookSignature } from '../src/services/webhook-signature.js'
import { DATABASES } from './databases.js'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on loopback that fails the first `failures` requests with 500. */
async function receiver(failures = 0) {
  const got: Received[] = []
  let calls = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      calls++
      if (calls <= failures) {
        res.writeHead(500).end()
        return
      }
      got.push({ headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    calls: () => calls,
    close: () => new Promise((r) => server.close(r)),
  }
}

const kek = createKek(new Uint8Array(32).fill(7))
const headers = (r: Received) => r.headers as Record<string, string>

for (const kind of DATABASES) {
  describe(`webhooks on ${kind.name}`, () => {
    const clock = new FakeClock(1_800_000_000_000)
    const receivers: Awaited<ReturnType<typeof receiver>>[] = []
    const mk = async (failures = 0) => {
      const r = await receiver(failures)
      receivers.push(r)
      return r
    }
    let db: Awaited<ReturnType<(typeof DATABASES)[number]['open']>>['db']
    beforeAll(async () => {
      db = (await kind.open()).db
    })
    afterAll(async () => {
      await Promise.all(receivers.map((r) => r.close()))
    })
    const service = (o: Partial<ConstructorParameters<typeof WebhookService>[0]> = {}) =>
      new WebhookService({ db, kek, clock, random: () => 0.5, baseDelayMs: 1000, maxAttempts: 5, ...o })
    const emit = (type: string, subject = 's1', data: Record<string, unknown> = {}) =>
      db.transaction().execute((trx) => appendEvent(trx, { type, subject, data, at: clock.now() }))

    it('each subscribed event arrives once with a valid Standard Webhooks signature; a wrong secret fails; filters hold; a rolled-back event sends nothing', async () => {
      const s = service()
      const r = await mk()
      const all = await s.create({ url: r.url, eventTypes: ['*'] })
      const other = await mk()
      await s.create({ url: other.url, eventTypes: ['credential.revoked'] })
      expect(all.secret).toMatch(/^whsec_/)
      const id = await emit('issuance.offered', 'iss_1', { configurationIds: ['pid_sd_jwt'] })
      await expect(
        db.transaction().execute(async (trx) => {
          await appendEvent(trx, { type: 'credential.revoked', subject: 'gone', data: {}, at: clock.now() })
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      await s.flush()
      await s.flush()
      expect(r.got).toHaveLength(1)
      expect(other.got).toHaveLength(0)
      const [m] = r.got as [Received]
      expect(JSON.parse(m.body)).toMatchObject({
        id,
        type: 'issuance.offered',
        subject: 'iss_1',
        data: { configurationIds: ['pid_sd_jwt'] },
      })
      expect(headers(m)['webhook-id']).toBe(id)
      const now = Number(headers(m)['webhook-timestamp'])
      expect(verifyWebhookSignature({ secret: all.secret, headers: headers(m), body: m.body, nowSeconds: now })).toBe(true)
      const wrong = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
      expect(verifyWebhookSignature({ secret: wrong, headers: headers(m), body: m.body, nowSeconds: now })).toBe(false)
      expect(verifyWebhookSignature({ secret: all.secret, headers: headers(m), body: `${m.body} `, nowSeconds: now })).toBe(false)
      expect(verifyWebhookSignature({ secret: all.secret, headers: headers(m), body: m.body, nowSeconds: now + 301 })).toBe(false)
      const log = await s.deliveries(all.id, {})
      expect(log.items.map((d) => [d.state, (d.attempts as unknown[]).length])).toEqual([['delivered', 1]])
    })

    it('a receiver that fails three times still gets the event, after backoff; the log shows four attempts', async () => {
      const s = service()
      const r = await mk(3)
      const w = await s.create({ url: r.url, eventTypes: ['credential.revoked'] })
      await emit('credential.revoked', 'cred_1')
      await s.flush()
      expect([r.calls(), r.got.length]).toEqual([1, 0])
      for (const wait of [1000, 2000, 4000]) {
        clock.advance(wait - 1)
        await s.flush()
        clock.advance(1)
        await s.flush()
      }
      expect([r.calls(), r.got.length]).toEqual([4, 1])
      const [d] = (await s.deliveries(w.id, {})).items
      expect(d?.state).toBe('delivered')
      expect(((d?.attempts ?? []) as { status: number }[]).map((a) => a.status)).toEqual([500, 500, 500, 204])
    })

    it('after maxAttempts the delivery is dead-lettered (and says so as an event); redelivery sends it once the receiver recovers', async () => {
      const s = service({ maxAttempts: 2 })
      const r = await mk(2)
      const w = await s.create({ url: r.url, eventTypes: ['credential.suspended'] })
      await emit('credential.suspended', 'cred_2')
      await s.flush()
      clock.advance(60_000)
      await s.flush()
      const [d] = (await s.deliveries(w.id, {})).items
      expect(d?.state).toBe('dead')
      const dead = await db.selectFrom('events').selectAll().where('type', '=', 'webhook.dead_lettered').execute()
      expect(dead.map((e) => e.subject)).toContain(w.id)
      await expect(s.redeliver('whd_nope')).rejects.toMatchObject({ code: 'agent.not_found' })
      await s.redeliver(d?.id as string)
      await s.flush()
      expect(r.got).toHaveLength(1)
      expect((await s.deliveries(w.id, { state: 'delivered' })).items).toHaveLength(1)
    })

    it('two workers on one database deliver each event once (FOR UPDATE SKIP LOCKED)', async () => {
      const a = service()
      const b = service()
      const r = await mk()
      await a.create({ url: r.url, eventTypes: ['issuance.approved'] })
      for (let i = 0; i < 30; i++) await emit('issuance.approved', `iss_${i}`)
      await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()])
      expect(r.got).toHaveLength(30)
      expect(new Set(r.got.map((g) => headers(g)['webhook-id'])).size).toBe(30)
    })

    it('URLs: https anywhere, http only on loopback, no credentials; unknown event types are refused by the API schema', async () => {
      const s = service()
      for (const url of ['http://example.com/hook', 'ftp://127.0.0.1/x', 'https://u:p@example.com/', 'not a url'])
        await expect(s.create({ url, eventTypes: ['*'] })).rejects.toMatchObject({ code: 'agent.webhook_url_invalid' })
      const ok = await s.create({ url: 'https://hooks.example.com/bonafide', eventTypes: ['presentation.verified'] })
      expect((await s.list()).find((w) => w.id === ok.id)).not.toHaveProperty('secret')
      const row = await db.selectFrom('webhooks').select('secret_enc').where('id', '=', ok.id).executeTakeFirstOrThrow()
      expect(row.secret_enc).not.toContain(ok.secret.slice(6, 20))
    })
  })
}
