import { type Kysely, sql } from 'kysely'

/**
 * AnonCreds (issue "AnonCreds in TypeScript"): schemas beside the JSON Schemas of the registry, and credential
 * definitions whose private part (the CL secret primes) is sealed under the KEK like the agent's other keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table anoncreds_schemas (
      id text primary key,
      issuer_id text not null,
      name text not null,
      version text not null,
      record jsonb not null,
      created_at bigint not null,
      unique (issuer_id, name, version)
    );
    create table anoncreds_credential_definitions (
      id text primary key,
      schema_id text not null references anoncreds_schemas (id),
      issuer_id text not null,
      tag text not null,
      record jsonb not null,
      key_correctness_proof jsonb not null,
      private_enc text not null,
      created_at bigint not null,
      unique (schema_id, tag)
    );
  `.execute(db)
}
