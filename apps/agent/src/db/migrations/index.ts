import type { Migration, MigrationProvider } from 'kysely'
import * as m001 from './001-initial.js'
import * as m002 from './002-verifier-sessions.js'
import * as m003 from './003-presentation-sessions.js'
import * as m004 from './004-holder.js'
import * as m005 from './005-webhooks.js'
import * as m006 from './006-idempotency.js'
import * as m007 from './007-issued-order.js'
import * as m008 from './008-anoncreds.js'

/** Every migration, in order: a static index (no directory scanning), the same on PGlite and PostgreSQL. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-initial': m001,
  '002-verifier-sessions': m002,
  '003-presentation-sessions': m003,
  '004-holder': m004,
  '005-webhooks': m005,
  '006-idempotency': m006,
  '007-issued-order': m007,
  '008-anoncreds': m008,
}

export const staticMigrations: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) }
