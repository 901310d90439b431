import { sql } from 'kysely'
import pg from 'pg'
import type { Db } from './database.js'

/** What in-memory caches hold and another instance can change: configurations, keys, the trust list. */
export type ChangeTopic = 'configurations' | 'keys' | 'trust'
const TOPICS: ReadonlySet<string> = new Set<ChangeTopic>(['configurations', 'keys', 'trust'])
const CHANNEL = 'bonafide_changes'

/**
 * Cache invalidation across instances with PostgreSQL LISTEN/NOTIFY: `publish` notifies (inside the caller's
 * transaction it is delivered on commit), every instance's handlers drop their caches. On the embedded database
 * there is one process, so handlers run in process. When the listening connection drops, every cache is dropped
 * (a notification may have been missed) and it reconnects.
 */
export class ChangeBus {
  readonly #handlers = new Map<ChangeTopic, (() => void)[]>()
  readonly #url: string | undefined
  #client: pg.Client | undefined
  #closed = false

  constructor(o: { databaseUrl?: string }) {
    this.#url = o.databaseUrl
  }

  on(topic: ChangeTopic, f: () => void): void {
    this.#handlers.set(topic, [...(this.#handlers.get(topic) ?? []), f])
  }

  #fire(topic: string): void {
    if (TOPICS.has(topic)) for (const f of this.#handlers.get(topic as ChangeTopic) ?? []) f()
  }

  #fireAll(): void {
    for (const t of TOPICS) this.#fire(t)
  }

  /** Start listening (PostgreSQL only). */
  async start(): Promise<void> {
    if (!this.#url || this.#closed) return
    const c = new pg.Client({ connectionString: this.#url })
    c.on('notification', (m) => this.#fire(m.payload ?? ''))
    c.on('error', () => {
      if (this.#client !== c) return
      this.#client = undefined
      this.#fireAll()
      c.end().catch(() => undefined)
      setTimeout(() => void this.start().catch(() => undefined), 1000).unref()
    })
    await c.connect()
    await c.query(`listen ${CHANNEL}`)
    this.#client = c
  }

  /** Tell every instance (this one included) that `topic` changed. */
  async publish(db: Db, topic: ChangeTopic): Promise<void> {
    if (!this.#url) {
      this.#fire(topic)
      return
    }
    await sql`select pg_notify(${CHANNEL}, ${topic})`.execute(db)
  }

  async close(): Promise<void> {
    this.#closed = true
    const c = this.#client
    this.#client = undefined
    await c?.end().catch(() => undefined)
  }
}
