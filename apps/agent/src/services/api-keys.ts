import { Buffer } from 'node:buffer'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '@bonafide/core'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { appendEvent } from '../db/repositories/events.js'
import { issuesOf } from './configurations.js'
import { ApiProblem, notFound } from './problem.js'

export const SCOPES = ['admin', 'issuer', 'verifier', 'holder', 'registry'] as const
export type Scope = (typeof SCOPES)[number]

export const zApiKeyInput = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
})

export interface ApiKeyInfo {
  readonly id: string
  readonly name: string
  readonly scopes: Scope[]
  readonly createdAt: number
  readonly revokedAt: number | null
}

const hash = (key: string) => createHash('sha256').update(key).digest('base64url')
const KEY = /^bfk_([A-Za-z0-9_-]{16})_([A-Za-z0-9_-]{43})$/

/** API keys: `bfk_<id>_<secret>`, stored as SHA-256 only, shown once, revocable. */
export class ApiKeyService {
  readonly #db: Db
  readonly #clock: Clock
  readonly #envAdminHash: Buffer | undefined

  constructor(o: { db: Db; clock: Clock; envAdminKey?: string }) {
    this.#db = o.db
    this.#clock = o.clock
    this.#envAdminHash = o.envAdminKey ? Buffer.from(hash(o.envAdminKey)) : undefined
  }

  async create(input: unknown): Promise<ApiKeyInfo & { key: string }> {
    const p = zApiKeyInput.safeParse(input)
    if (!p.success) throw new ApiProblem(400, 'agent.api_key_invalid', 'the API key request is invalid', issuesOf(p.error))
    const id = randomBytes(12).toString('base64url')
    const key = `bfk_${id}_${randomBytes(32).toString('base64url')}`
    const now = this.#clock.now()
    const scopes = [...new Set(p.data.scopes)]
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_keys')
        .values({ id, name: p.data.name, hash: hash(key), scopes: JSON.stringify(scopes), created_at: now, revoked_at: null })
        .execute()
      await appendEvent(trx, { type: 'api_key.created', subject: id, data: { scopes }, at: now })
    })
    return { id, name: p.data.name, scopes, createdAt: now, revokedAt: null, key }
  }

  /** First start without BONAFIDE_ADMIN_KEY: one admin key, returned once to be printed. */
  async bootstrap(): Promise<string | undefined> {
    if (this.#envAdminHash) return undefined
    const any = await this.#db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst()
    if (any) return undefined
    return (await this.create({ name: 'first admin', scopes: ['admin'] })).key
  }

  /** The scopes of a presented key (undefined when unknown or revoked). */
  async authenticate(presented: string): Promise<{ id: string; scopes: readonly Scope[] } | undefined> {
    if (presented.length > 200) return undefined
    if (this.#envAdminHash) {
      const h = Buffer.from(hash(presented))
      if (h.length === this.#envAdminHash.length && timingSafeEqual(h, this.#envAdminHash))
        return { id: 'env', scopes: ['admin'] }
    }
    const m = KEY.exec(presented)
    if (!m) return undefined
    const row = await this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', m[1] as string)
      .executeTakeFirst()
    if (!row || row.revoked_at !== null) return undefined
    const a = Buffer.from(row.hash)
    const b = Buffer.from(hash(presented))
    return a.length === b.length && timingSafeEqual(a, b) ? { id: row.id, scopes: row.scopes as Scope[] } : undefined
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.#db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: r.scopes as Scope[],
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }))
  }

  async revoke(id: string): Promise<void> {
    const now = this.#clock.now()
    await this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst()
      if (!r) throw notFound('API key')
      await appendEvent(trx, { type: 'api_key.revoked', subject: id, data: {}, at: now })
    })
  }
}
