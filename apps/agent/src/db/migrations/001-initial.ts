import { type Kysely, sql } from 'kysely'

/** The agent's first schema: access, keys, issuer protocol state, issuance, revocation, schemas, events. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_keys (
      id text primary key,
      name text not null,
      hash text not null unique,
      scopes jsonb not null,
      created_at bigint not null,
      revoked_at bigint
    );
    create table signing_keys (
      id text primary key,
      role text not null,
      alg text not null,
      public_jwk jsonb not null,
      private_enc text not null,
      certificate text,
      created_at bigint not null,
      retired_at bigint,
      publish_until bigint
    );
    create table issuer_state (
      kind text not null,
      key text not null,
      value jsonb,
      counter integer,
      expires_at bigint not null,
      primary key (kind, key)
    );
    create index issuer_state_expiry on issuer_state (expires_at);
    create table credential_configurations (
      id text primary key,
      format text not null,
      metadata jsonb not null,
      schema_id text,
      batch_size integer not null,
      key_attestation_required boolean not null,
      validity_seconds integer not null,
      status_kind text not null,
      requires_approval boolean not null,
      store_claims boolean not null,
      created_at bigint not null,
      retired_at bigint
    );
    create table issuance_sessions (
      id text primary key,
      protocol_session_id text not null unique,
      configuration_ids jsonb not null,
      state text not null,
      claims jsonb,
      tx_code boolean not null,
      requires_approval boolean not null,
      approval text,
      approval_reason text,
      expected integer not null,
      issued integer not null default 0,
      error text,
      offer_uri text not null,
      expires_at bigint not null,
      created_at bigint not null,
      updated_at bigint not null
    );
    create index issuance_sessions_state on issuance_sessions (state, created_at);
    create table status_lists (
      id text primary key,
      uri text not null unique,
      size integer not null,
      bits integer not null,
      secret text not null,
      next integer not null default 0,
      bytes bytea not null,
      version integer not null default 0,
      active boolean not null,
      created_at bigint not null
    );
    create table issued_credentials (
      id text primary key,
      session_id text not null,
      configuration_id text not null,
      format text not null,
      batch_id text not null,
      status_list_id text references status_lists (id),
      status_index integer,
      holder_key_thumbprint text not null,
      status text not null,
      signing_key_id text not null,
      issued_at bigint not null,
      expires_at bigint not null,
      claims jsonb,
      unique (status_list_id, status_index)
    );
    create index issued_credentials_batch on issued_credentials (batch_id);
    create index issued_credentials_session on issued_credentials (session_id);
    create table schemas (
      id text primary key,
      name text not null,
      version text not null,
      major integer not null,
      minor integer not null,
      patch integer not null,
      author text not null,
      tags jsonb not null,
      record jsonb not null,
      created_at bigint not null,
      unique (name, version)
    );
    create table events (
      seq bigserial primary key,
      id text not null unique,
      type text not null,
      subject text not null,
      data jsonb not null,
      created_at bigint not null
    );
    create table settings (
      key text primary key,
      value jsonb not null
    );
  `.execute(db)
}
