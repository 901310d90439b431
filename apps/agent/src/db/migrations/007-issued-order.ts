import { type Kysely, sql } from 'kysely'

/** Issued credentials are listed newest first (the console, `GET /v1/credentials`): an index in that order. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index issued_credentials_newest on issued_credentials (issued_at desc, id desc)`.execute(db)
}
