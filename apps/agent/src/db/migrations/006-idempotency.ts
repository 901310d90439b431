import { type Kysely, sql } from 'kysely'

/** Idempotency-Key on POSTs (issue "agent, part 2"): the first response per (API key, Idempotency-Key) is kept a day. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table idempotency_keys (
      key text primary key,
      request_hash text not null,
      status integer,
      response jsonb,
      created_at bigint not null,
      expires_at bigint not null
    );
    create index idempotency_keys_expiry on idempotency_keys (expires_at);
  `.execute(db)
}
