import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import type { Clock } from '@bonafide/core'
import type { Context, MiddlewareHandler } from 'hono'
import type { Db } from '../db/database.js'
import type { Kek } from '../db/kek.js'
import { problem } from './problem.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the API key middleware: the id of the key that authenticated the request. */
    apiKeyId: string
  }
}

export interface IdempotencyOptions {
  db: Db
  clock: Clock
  /** How long a stored response is replayed (default one day). */
  ttlMs?: number
  /** Largest body hashed (default 1 MiB; pass the agent's maxBodyBytes): a larger one is answered 413. */
  maxBodyBytes?: number
  /**
   * Seal stored responses under the key-encryption key (AAD `idempotency:<row key>`). Pass it: responses
   * carry secrets shown once (new API keys, offer links with pre-authorized codes, tx codes).
   */
  kek?: Pick<Kek, 'seal' | 'open'>
}

/** What is kept of a response: status, content type, and the body as JSON (or base64 when not JSON). */
interface Stored {
  type: string | null
  json?: unknown
  b64?: string
}

const KEY = /^[\x20-\x7e]{1,255}$/
const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest('base64url')
}

/**
 * `Idempotency-Key` on POSTs (mount on `/v1/*` after the API key middleware). The first request per
 * (API key, key) runs and its response (< 500) is kept `ttlMs`; the same request again is replayed,
 * another request under the same key is 422, one still running is 409. A 5xx frees the key.
 */
export function idempotency(o: IdempotencyOptions): MiddlewareHandler {
  const ttl = o.ttlMs ?? 86_400_000
  const max = o.maxBodyBytes ?? 1 << 20
  return async (c, next) => {
    if (c.req.method !== 'POST' || !c.req.raw.headers.has('idempotency-key')) return next()
    const given = c.req.header('idempotency-key') ?? ''
    if (!KEY.test(given))
      return problem(400, 'agent.idempotency_key_invalid', 'Idempotency-Key must be 1 to 255 printable ASCII characters')
    const apiKeyId = c.get('apiKeyId')
    if (!apiKeyId) throw new Error('idempotency: apiKeyId is not set (mount it after the API key middleware)')
    const body = await readCapped(c.req.raw, max)
    if (!body) return problem(413, 'agent.body_too_large', `the body exceeds ${max} bytes`)
    const key = sha256(apiKeyId, '\n', given)
    const hash = sha256(c.req.method, '\n', c.req.path, '\n', body)
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = o.clock.now()
      if (await claim(o.db, key, hash, now, ttl)) return run(o, key, c, next)
      const row = await o.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst()
      if (!row) continue // freed by a 5xx in between: try to claim again
      if (row.expires_at <= now) {
        await o.db.deleteFrom('idempotency_keys').where('key', '=', key).where('expires_at', '<=', now).execute()
        continue
      }
      if (row.request_hash !== hash)
        return problem(422, 'agent.idempotency_key_reused', 'this Idempotency-Key was used for a different request')
      if (row.status === null)
        return problem(409, 'agent.idempotency_key_in_flight', 'a request with this Idempotency-Key is still being processed')
      return replay(row.status, unseal(o.kek, key, row.response))
    }
    return problem(409, 'agent.idempotency_key_in_flight', 'a request with this Idempotency-Key is still being processed')
  }
}

/** Insert the in-flight row (status null); false when the key is taken. Purges a few expired rows. */
async function claim(db: Db, key: string, hash: string, now: number, ttl: number): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ key, request_hash: hash, status: null, response: null, created_at: now, expires_at: now + ttl })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  if (row) await purge(db, now).catch(() => undefined)
  return row !== undefined
}

async function purge(db: Db, now: number): Promise<void> {
  const old = db.selectFrom('idempotency_keys').select('key').where('expires_at', '<=', now).limit(100)
  await db.deleteFrom('idempotency_keys').where('key', 'in', old).where('expires_at', '<=', now).execute()
}

/**
 * Run the handler; a 5xx (or a throw) frees the key, anything else is kept. A failed store leaves the
 * row in flight (retries get 409 until it expires): the handler never runs twice for one key.
 */
async function run(o: IdempotencyOptions, key: string, c: Context, next: () => Promise<void>): Promise<void> {
  let ok = false
  try {
    await next()
    ok = c.res.status < 500
  } finally {
    if (!ok) await o.db.deleteFrom('idempotency_keys').where('key', '=', key).where('status', 'is', null).execute()
  }
  if (!ok) return // freed: a retry may already hold the key
  const status = c.res.status
  await toStored(c.res.clone())
    .then((s) => {
      const response = JSON.stringify(o.kek ? { sealed: o.kek.seal(Buffer.from(JSON.stringify(s)), aad(key)) } : s)
      return o.db
        .updateTable('idempotency_keys')
        .set({ status, response })
        .where('key', '=', key)
        .where('status', 'is', null)
        .execute()
    })
    .catch(() => undefined)
}

const aad = (key: string) => `idempotency:${key}`

function unseal(kek: IdempotencyOptions['kek'], key: string, r: Record<string, unknown> | null): Stored | null {
  if (typeof r?.sealed !== 'string') return r as Stored | null
  if (!kek) throw new Error('idempotency: a stored response is sealed but no kek was given')
  return JSON.parse(Buffer.from(kek.open(r.sealed, aad(key))).toString('utf8')) as Stored
}

async function toStored(res: Response): Promise<Stored> {
  const type = res.headers.get('content-type')
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (bytes.length === 0) return { type }
  if (type && /^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    try {
      return { type, json: JSON.parse(new TextDecoder().decode(bytes)) }
    } catch {}
  }
  return { type, b64: Buffer.from(bytes).toString('base64') }
}

function replay(status: number, s: Stored | null): Response {
  const headers: Record<string, string> = { 'idempotent-replayed': 'true', 'cache-control': 'no-store' }
  if (s?.type) headers['content-type'] = s.type
  const body = s?.json !== undefined ? JSON.stringify(s.json) : s?.b64 ? Buffer.from(s.b64, 'base64') : null
  return new Response(status === 204 || status === 304 ? null : body, { status, headers })
}

/** The body bytes, read from a clone (the request keeps its own), or undefined past `max`. */
async function readCapped(req: Request, max: number): Promise<Uint8Array | undefined> {
  if (Number(req.headers.get('content-length') ?? '0') > max) return undefined
  const stream = req.clone().body
  if (!stream) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    size += value.byteLength
    if (size > max) {
      // Not awaited: cancelling one branch of a tee settles only once the other branch is cancelled too.
      reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
}
