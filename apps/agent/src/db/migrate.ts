import { Migrator } from 'kysely'
import type { Db } from './database.js'
import { MIGRATIONS, staticMigrations } from './migrations/index.js'

/** Bring the database to the latest schema (idempotent; Kysely locks so concurrent starts wait). */
export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: staticMigrations }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error)?.message ?? String(error)}`)
  }
}

/** True when every known migration has been applied (readiness). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const all = await new Migrator({ db, provider: staticMigrations }).getMigrations()
  return all.length === Object.keys(MIGRATIONS).length && all.every((m) => m.executedAt !== undefined)
}
