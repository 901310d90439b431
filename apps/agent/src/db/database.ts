import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGlitePool } from './pglite-pool.js'
import type { DB } from './schema.js'

export type Db = Kysely<DB>

export interface Database {
  readonly db: Db
  /** `pglite` (embedded, one process) or `postgres`. */
  readonly kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

const INT8 = 20
/** int8 (counts, millisecond times) as numbers: every value we store fits in 2^53. */
const int8 = (v: string) => Number(v)

/** An embedded PostgreSQL in `dataDir` (in memory when undefined). */
export async function openPglite(dataDir?: string): Promise<Database> {
  const lite = await PGlite.create(dataDir, { parsers: { [INT8]: int8 } })
  const pool = new PGlitePool(lite)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}

/** A PostgreSQL server (`postgres://…`). */
export async function openPostgres(url: string, o: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 10,
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 ? int8 : pg.types.getTypeParser(oid, format)),
    } as pg.CustomTypesConfig,
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return { db, kind: 'postgres', close: () => db.destroy() }
}
