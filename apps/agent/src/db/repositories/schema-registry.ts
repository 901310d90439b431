import type { Clock } from '@bonafide/core'
import { systemClock } from '@bonafide/core'
import {
  admitSchemaVersion,
  type CredentialSchema,
  createSchemaRecord,
  parseSemver,
  SchemaError,
  type SchemaListFilter,
  type SchemaRegistry,
} from '@bonafide/schema'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'

function freeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) freeze(x)
    Object.freeze(v)
  }
  return v
}

const toRecord = (r: { record: unknown }): CredentialSchema => freeze(r.record as CredentialSchema)

/**
 * The schema registry in PostgreSQL. Adding a version runs in one transaction holding an advisory
 * lock on the schema name, so the version rules (`admitSchemaVersion`, shared with the memory
 * registry) are checked against a stable set of versions, whichever instance adds.
 */
export class PgSchemaRegistry implements SchemaRegistry {
  readonly #db: Kysely<DB>
  readonly #clock: Clock

  constructor(db: Kysely<DB>, o: { clock?: Clock } = {}) {
    this.#db = db
    this.#clock = o.clock ?? systemClock
  }

  async add(input: unknown): Promise<CredentialSchema> {
    const record = createSchemaRecord(input, this.#clock)
    return this.#db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`schema:${record.name}`}))`.execute(trx)
      const rows = await trx.selectFrom('schemas').select('record').where('name', '=', record.name).execute()
      const same = admitSchemaVersion(record, rows.map(toRecord))
      if (same) return same
      const [major, minor, patch] = parseSemver(record.version)
      const inserted = await trx
        .insertInto('schemas')
        .values({
          id: record.id,
          name: record.name,
          version: record.version,
          major,
          minor,
          patch,
          author: record.author,
          tags: JSON.stringify(record.tags),
          record: JSON.stringify(record),
          created_at: record.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!inserted) throw new SchemaError('schema.version_exists', 'a schema with this id exists')
      return record
    })
  }

  /** Versions are immutable, so a record read once is kept (bounded): offers check claims against it on every call. */
  readonly #byId = new Map<string, CredentialSchema>()

  async get(id: string): Promise<CredentialSchema | undefined> {
    const hit = this.#byId.get(id)
    if (hit) return hit
    const r = await this.#db.selectFrom('schemas').select('record').where('id', '=', id).executeTakeFirst()
    if (!r) return undefined
    const rec = toRecord(r)
    if (this.#byId.size >= 1000) this.#byId.delete(this.#byId.keys().next().value as string)
    this.#byId.set(id, rec)
    return rec
  }

  async getVersion(name: string, version: string): Promise<CredentialSchema | undefined> {
    const r = await this.#db
      .selectFrom('schemas')
      .select('record')
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst()
    return r ? toRecord(r) : undefined
  }

  async latest(name: string): Promise<CredentialSchema | undefined> {
    const r = await this.#db
      .selectFrom('schemas')
      .select('record')
      .where('name', '=', name)
      .orderBy('major', 'desc')
      .orderBy('minor', 'desc')
      .orderBy('patch', 'desc')
      .limit(1)
      .executeTakeFirst()
    return r ? toRecord(r) : undefined
  }

  async list(filter: SchemaListFilter = {}): Promise<CredentialSchema[]> {
    let q = this.#db.selectFrom('schemas').select('record')
    if (filter.name !== undefined) q = q.where('name', '=', filter.name)
    if (filter.author !== undefined) q = q.where('author', '=', filter.author)
    if (filter.tag !== undefined) q = q.where(sql<boolean>`tags @> ${JSON.stringify([filter.tag])}::jsonb`)
    const rows = await q.orderBy(sql`name collate "C"`).orderBy('major').orderBy('minor').orderBy('patch').limit(10_000).execute()
    return rows.map(toRecord)
  }
}
