import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import type { Clock } from '@bonafide/core'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'
import { appendEvent } from '../db/repositories/events.js'
import { EVENT_TYPES } from './event-types.js'
import { type Page, pageOf, zPageQuery } from './pagination.js'
import { ApiProblem, notFound } from './problem.js'
import { signWebhook } from './webhook-signature.js'

/** Events about webhooks themselves are recorded (GET /v1/events) but never delivered, so they cannot be subscribed. */
const DELIVERABLE = EVENT_TYPES.filter((t) => !t.startsWith('webhook.'))

export const zWebhookInput = z.strictObject({
  url: z.string().min(1).max(2000),
  eventTypes: z
    .array(z.enum([...DELIVERABLE, '*']))
    .min(1)
    .max(DELIVERABLE.length + 1),
  description: z.string().min(1).max(200).optional(),
})

export const zDeliveryQuery = zPageQuery.extend({ state: z.enum(['pending', 'delivered', 'dead']).optional() })

export interface Webhook {
  readonly id: string
  readonly url: string
  readonly eventTypes: readonly string[]
  readonly active: boolean
  readonly createdAt: number
}

export interface WebhookDeps {
  db: Db
  kek: Kek
  clock: Clock
  fetch?: typeof fetch
  /** [0, 1): the jitter of retry delays. */
  random?: () => number
  /** Attempts before a delivery is dead-lettered (default 8). */
  maxAttempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  timeoutMs?: number
  onFailure?: () => void
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost'])

function checkUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new ApiProblem(400, 'agent.webhook_url_invalid', 'the webhook URL is not a URL')
  }
  const ok = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))
  if (!ok || u.username || u.password || u.hash)
    throw new ApiProblem(
      400,
      'agent.webhook_url_invalid',
      'webhooks go to https:// URLs (http:// only on loopback), without credentials or fragment',
    )
  return u.toString()
}

type DueRow = { id: string; webhook_id: string; event_id: string; attempts: number }

/**
 * Signed webhooks from a durable outbox: deliveries are written with their event (appendEvent), claimed with
 * `FOR UPDATE SKIP LOCKED` (several workers or instances never send one twice at once), signed (Standard
 * Webhooks), retried with exponential backoff and jitter, dead-lettered after `maxAttempts`, each attempt logged.
 */
export class WebhookService {
  readonly #d: WebhookDeps
  readonly #secrets = new Map<string, Buffer>()
  #timer: ReturnType<typeof setInterval> | undefined
  #running: Promise<number> | undefined

  constructor(d: WebhookDeps) {
    this.#d = d
  }

  async create(input: z.output<typeof zWebhookInput>): Promise<Webhook & { secret: string }> {
    const url = checkUrl(input.url)
    const id = `wh_${randomBytes(9).toString('base64url')}`
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    const now = this.#d.clock.now()
    await this.#d.db
      .insertInto('webhooks')
      .values({
        id,
        url,
        event_types: JSON.stringify([...new Set(input.eventTypes)]),
        secret_enc: this.#d.kek.seal(new Uint8Array(Buffer.from(secret)), `webhook:${id}`),
        active: true,
        created_at: now,
      })
      .execute()
    return { ...(await this.get(id)), secret }
  }

  async list(): Promise<Webhook[]> {
    const rows = await this.#d.db.selectFrom('webhooks').selectAll().orderBy('created_at').execute()
    return rows.map(toWebhook)
  }

  async get(id: string): Promise<Webhook> {
    const r = await this.#d.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) throw notFound('webhook')
    return toWebhook(r)
  }

  async delete(id: string): Promise<void> {
    const r = await this.#d.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst()
    if (Number(r.numDeletedRows) === 0) throw notFound('webhook')
    this.#secrets.delete(id)
  }

  /** The delivery log of a webhook, newest first, each delivery with its attempts. */
  async deliveries(webhookId: string, q: z.output<typeof zDeliveryQuery>): Promise<Page<Record<string, unknown>>> {
    await this.get(webhookId)
    let s = this.#d.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId)
    if (q.state) s = s.where('state', '=', q.state)
    const page = await pageOf(s, q, (r: Record<string, unknown>) => r)
    const ids = page.items.map((r) => r.id as string)
    const attempts = ids.length
      ? await this.#d.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('seq').execute()
      : []
    const items = page.items.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      state: r.state,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({ at: a.at, status: a.status, error: a.error, durationMs: a.duration_ms })),
      nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    }))
    return { items, next: page.next }
  }

  /** Send a delivered or dead-lettered delivery again, now. */
  async redeliver(deliveryId: string): Promise<void> {
    const r = await this.#d.db
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: this.#d.clock.now(), delivered_at: null })
      .where('id', '=', deliveryId)
      .where('state', 'in', ['delivered', 'dead'])
      .returning('id')
      .executeTakeFirst()
    if (r) return
    const known = await this.#d.db
      .selectFrom('webhook_deliveries')
      .select('state')
      .where('id', '=', deliveryId)
      .executeTakeFirst()
    if (!known) throw notFound('delivery')
    throw new ApiProblem(409, 'agent.delivery_pending', 'this delivery is still pending')
  }

  /** Claim due deliveries (a lease of `timeoutMs`, so a crashed worker's claims come due again) and send them. */
  async runDue(limit = 50): Promise<number> {
    const now = this.#d.clock.now()
    const lease = now + (this.#d.timeoutMs ?? 10_000) * 2
    const due = await sql<DueRow>`
      with due as (
        select id from webhook_deliveries
        where state = 'pending' and next_attempt_at <= ${now}
        order by next_attempt_at limit ${limit}
        for update skip locked)
      update webhook_deliveries d set next_attempt_at = ${lease}
      from due where d.id = due.id
      returning d.id, d.webhook_id, d.event_id, d.attempts`.execute(this.#d.db)
    await Promise.all(due.rows.map((r) => this.#deliver(r)))
    return due.rows.length
  }

  async #secret(webhookId: string, sealed: string): Promise<Buffer> {
    let s = this.#secrets.get(webhookId)
    if (!s) {
      const text = Buffer.from(this.#d.kek.open(sealed, `webhook:${webhookId}`)).toString('utf8')
      s = Buffer.from(text.slice('whsec_'.length), 'base64')
      this.#secrets.set(webhookId, s)
    }
    return s
  }

  async #deliver(r: DueRow): Promise<void> {
    const w = await this.#d.db.selectFrom('webhooks').selectAll().where('id', '=', r.webhook_id).executeTakeFirst()
    const e = await this.#d.db.selectFrom('events').selectAll().where('id', '=', r.event_id).executeTakeFirst()
    if (!w || !e) return
    const body = JSON.stringify({
      id: e.id,
      type: e.type,
      subject: e.subject,
      timestamp: new Date(e.created_at).toISOString(),
      data: e.data,
    })
    const started = this.#d.clock.now()
    const ts = Math.floor(started / 1000)
    let status: number | null = null
    let error: string | null = null
    try {
      const res = await (this.#d.fetch ?? fetch)(w.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#d.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Bonafide-Webhooks/1',
          'webhook-id': e.id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(await this.#secret(w.id, w.secret_enc), e.id, ts, body),
        },
        body,
      })
      status = res.status
      await res.body?.cancel().catch(() => undefined) // the answer's body is not read
    } catch (x) {
      error = (x as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'
    }
    await this.#record(r, started, status, error)
  }

  /** The attempt and the delivery's next state, in one transaction. */
  async #record(r: DueRow, started: number, status: number | null, error: string | null): Promise<void> {
    const now = this.#d.clock.now()
    const ok = status !== null && status >= 200 && status < 300
    const attempts = r.attempts + 1
    const dead = !ok && attempts >= (this.#d.maxAttempts ?? 8)
    const base = this.#d.baseDelayMs ?? 1000
    const delay = Math.min(this.#d.maxDelayMs ?? 3_600_000, base * 2 ** (attempts - 1))
    const next = now + Math.round(delay / 2 + (delay / 2) * (this.#d.random ?? Math.random)())
    await this.#d.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: r.id,
          at: started,
          status,
          error: error ?? (ok ? null : `HTTP ${status}`),
          duration_ms: now - started,
        })
        .execute()
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts,
          last_status: status,
          last_error: ok ? null : (error ?? `HTTP ${status}`),
          state: ok ? 'delivered' : dead ? 'dead' : 'pending',
          next_attempt_at: ok || dead ? now : next,
          delivered_at: ok ? now : null,
        })
        .where('id', '=', r.id)
        .execute()
      if (dead)
        await appendEvent(trx, { type: 'webhook.dead_lettered', subject: r.webhook_id, data: { deliveryId: r.id }, at: now })
    })
    if (!ok) this.#d.onFailure?.()
  }

  /** Run until nothing is due now (at shutdown, and in tests). */
  async flush(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) if ((await this.#tick()) === 0) return
  }

  #tick(): Promise<number> {
    this.#running ??= this.runDue().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  start(intervalMs = 1000): void {
    if (this.#timer) return
    this.#timer = setInterval(() => void this.#tick().catch(() => undefined), intervalMs)
    this.#timer.unref()
  }

  /** Stop the loop and wait for the round in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running?.catch(() => undefined)
  }

  async backlog(): Promise<number> {
    const r = await this.#d.db
      .selectFrom('webhook_deliveries')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }
}

function toWebhook(r: { id: string; url: string; event_types: unknown; active: boolean; created_at: number }): Webhook {
  return { id: r.id, url: r.url, eventTypes: r.event_types as string[], active: r.active, createdAt: r.created_at }
}
