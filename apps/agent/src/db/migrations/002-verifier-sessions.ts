import { type Kysely, sql } from 'kysely'

/** OpenID4VP verifier sessions (issue "agent, part 2"): each "once" step is a conditional update. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table verifier_sessions (
      id text primary key,
      state text not null unique,
      kid text unique,
      session jsonb not null,
      by_reference boolean not null,
      fetched boolean not null default false,
      state_used boolean not null default false,
      result jsonb,
      response_code text unique,
      expires_at bigint not null
    );
    create index verifier_sessions_expiry on verifier_sessions (expires_at);
  `.execute(db)
}
