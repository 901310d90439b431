import { type Kysely, sql } from 'kysely'

/** The holder side (issue "agent, part 2"): keys sealed under the KEK, pools, copies, the presentation log, pending requests. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table holder_keys (
      id text primary key,
      alg text not null,
      public_jwk jsonb not null,
      private_enc text not null,
      label text,
      created_at bigint not null
    );
    create table wallet_pools (
      id text primary key,
      record jsonb not null,
      created_at bigint not null
    );
    create table wallet_copies (
      seq bigserial,
      id text primary key,
      pool_id text not null references wallet_pools (id) on delete cascade,
      record jsonb not null,
      uses integer not null,
      state text not null,
      valid_until bigint
    );
    create index wallet_copies_pool on wallet_copies (pool_id, state, seq);
    create table wallet_log (
      seq bigserial primary key,
      id text not null unique,
      at bigint not null,
      entry jsonb not null
    );
    create table holder_requests (
      id text primary key,
      request jsonb not null,
      state text not null,
      result jsonb,
      created_at bigint not null,
      expires_at bigint not null
    );
  `.execute(db)
}
