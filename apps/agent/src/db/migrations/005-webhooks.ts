import { type Kysely, sql } from 'kysely'

/** Webhooks (issue "agent, part 2"): subscriptions, a durable outbox of deliveries written with the event, each attempt logged. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhooks (
      id text primary key,
      url text not null,
      event_types jsonb not null,
      secret_enc text not null,
      active boolean not null,
      created_at bigint not null
    );
    create table webhook_deliveries (
      id text primary key,
      webhook_id text not null references webhooks (id) on delete cascade,
      event_id text not null references events (id),
      state text not null,
      attempts integer not null default 0,
      next_attempt_at bigint not null,
      last_status integer,
      last_error text,
      created_at bigint not null,
      delivered_at bigint,
      unique (webhook_id, event_id)
    );
    create index webhook_deliveries_due on webhook_deliveries (state, next_attempt_at);
    create table webhook_attempts (
      seq bigserial primary key,
      delivery_id text not null references webhook_deliveries (id) on delete cascade,
      at bigint not null,
      status integer,
      error text,
      duration_ms integer not null
    );
    create index webhook_attempts_delivery on webhook_attempts (delivery_id, seq);
  `.execute(db)
}
