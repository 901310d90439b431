/**
 * Every event the agent writes (the `events` table, the SSE streams and webhooks). A subscription names
 * some of these, or `*` for all. The subject is the session, credential, key or webhook the event is about.
 */
export const EVENT_TYPES = [
  'issuance.offered',
  'issuance.offer_redeemed',
  'issuance.awaiting_approval',
  'issuance.approved',
  'issuance.rejected',
  'issuance.credentials_issued',
  'issuance.credential_accepted',
  'issuance.credential_failure',
  'issuance.credential_deleted',
  'issuance.abandoned',
  'credential.revoked',
  'credential.suspended',
  'credential.reinstated',
  'presentation.created',
  'presentation.request_fetched',
  'presentation.verified',
  'presentation.verification_failed',
  'presentation.accepted',
  'presentation.rejected',
  'presentation.expired',
  'holder.credentials_received',
  'holder.presented',
  'anoncreds.schema_created',
  'anoncreds.credential_definition_created',
  'anoncreds.credential_issued',
  'api_key.created',
  'api_key.revoked',
  'webhook.dead_lettered',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** Events whose type starts with `issuance.credential_` come from the wallet's notification endpoint (OpenID4VCI §11). */
export const NOTIFICATION_EVENTS: readonly EventType[] = [
  'issuance.credential_accepted',
  'issuance.credential_failure',
  'issuance.credential_deleted',
]
