import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll } from 'vitest'
import { type Database, openPglite, openPostgres } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'

/** The PostgreSQL server the tests use (CI starts it when it is down): trust auth on loopback. */
export const PG_ADMIN_URL = process.env.BONAFIDE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  readonly name: 'pglite' | 'postgres'
  /** A new, migrated database: in-memory PGlite, or a fresh database on the PostgreSQL server (dropped after the file). */
  open(): Promise<Database & { url?: string }>
}

const created: string[] = []
const opened: Database[] = []

afterAll(async () => {
  await Promise.allSettled(opened.map((d) => d.close()))
  if (created.length === 0) return
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  await c.connect()
  for (const name of created) await c.query(`drop database if exists ${name} with (force)`)
  await c.end()
})

/** A fresh, empty PostgreSQL database; its URL. */
export async function createPgDatabase(): Promise<string> {
  const name = `bonafide_test_${randomBytes(6).toString('hex')}`
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  await c.connect()
  await c.query(`create database ${name}`)
  await c.end()
  created.push(name)
  const u = new URL(PG_ADMIN_URL)
  u.pathname = `/${name}`
  return u.toString()
}

/** Empty every table (keeps the schema): a clean database without paying for a new one. */
export async function truncateAll(d: Database): Promise<void> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(d.db)
  if (tables.rows.length === 0) return
  await sql.raw(`truncate ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} restart identity cascade`).execute(d.db)
}

/**
 * One database per kind per test file (PGlite's start costs seconds), emptied on every `open()`;
 * the PostgreSQL one is a fresh database created for the file and dropped after it.
 */
function perFile(name: 'pglite' | 'postgres', make: () => Promise<Database & { url?: string }>): TestDatabase {
  let shared: Promise<Database & { url?: string }> | undefined
  return {
    name,
    async open() {
      if (!shared) {
        shared = make().then(async (d) => {
          opened.push(d)
          await migrateToLatest(d.db)
          return d
        })
        return shared
      }
      const d = await shared
      await truncateAll(d)
      return d
    },
  }
}

export const DATABASES: readonly TestDatabase[] = [
  perFile('pglite', () => openPglite()),
  perFile('postgres', async () => {
    const url = await createPgDatabase()
    return Object.assign(await openPostgres(url, { max: 5 }), { url })
  }),
]
