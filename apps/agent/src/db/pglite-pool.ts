import type { PGlite } from '@electric-sql/pglite'

interface PoolClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ command: string; rowCount: number; rows: unknown[] }>
  release(): void
}

/**
 * PGlite behind the small part of node-postgres' Pool that Kysely's PostgresDialect uses. PGlite is
 * one connection, so a client is held exclusively (a queue) from `connect()` to `release()`: a
 * transaction owns the database until it ends, exactly as one pooled connection would.
 */
export class PGlitePool {
  readonly #db: PGlite
  #tail: Promise<void> = Promise.resolve()

  constructor(db: PGlite) {
    this.#db = db
  }

  async connect(): Promise<PoolClient> {
    let release!: () => void
    const held = new Promise<void>((r) => {
      release = r
    })
    const before = this.#tail
    this.#tail = before.then(() => held)
    await before
    let released = false
    return {
      query: async (sql, params) => {
        // Migrations send several statements at once: the simple-query protocol (exec) takes them.
        const r =
          params === undefined || params.length === 0
            ? ((await this.#db.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 })
            : await this.#db.query<Record<string, unknown>>(sql, params as unknown[])
        const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase()
        return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows }
      },
      release: () => {
        if (released) return
        released = true
        release()
      },
    }
  }

  async end(): Promise<void> {
    await this.#tail
    await this.#db.close()
  }
}
