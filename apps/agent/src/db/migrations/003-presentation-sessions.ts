import { type Kysely, sql } from 'kysely'

/** The agent's view of verification sessions (issue "agent, part 2"): state, report, policy, decision; and verifier trust. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table presentation_sessions (
      id text primary key,
      state text not null,
      query_kind text not null,
      query jsonb not null,
      response_mode text not null,
      transaction_data jsonb,
      policy jsonb,
      report jsonb,
      reason text,
      request_uri text not null,
      created_at bigint not null,
      updated_at bigint not null,
      expires_at bigint not null
    );
    create index presentation_sessions_state on presentation_sessions (state, created_at);
    create table verifier_trust (
      id text primary key,
      kind text not null,
      value text not null,
      label text,
      created_at bigint not null,
      unique (kind, value)
    );
  `.execute(db)
}
