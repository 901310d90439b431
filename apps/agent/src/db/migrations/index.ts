import type { Migration, MigrationProvider } from 'kysely'
import * as m001 from './001-initial.js'
import * as m002 from './002-verifier-sessions.js'

/** Every migration, in order: a static index (no directory scanning), the same on PGlite and PostgreSQL. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-initial': m001,
  '002-verifier-sessions': m002,
}

export const staticMigrations: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) }
