import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/anoncreds`. Pinned by test/error-codes.test.ts. */
export const ANONCREDS_ERROR_CODES = [
  'anoncreds.malformed',
  'anoncreds.too_large',
  'anoncreds.invalid_object',
  'anoncreds.key_invalid',
  'anoncreds.key_correctness_invalid',
  'anoncreds.request_invalid',
  'anoncreds.blinded_secret_proof_invalid',
  'anoncreds.signature_invalid',
  'anoncreds.signature_correctness_invalid',
  'anoncreds.attribute_missing',
  'anoncreds.encoding_mismatch',
  'anoncreds.predicate_unsatisfied',
  'anoncreds.proof_invalid',
  'anoncreds.nonce_mismatch',
  'anoncreds.restriction_unsatisfied',
  'anoncreds.credential_definition_mismatch',
  'anoncreds.schema_mismatch',
  'anoncreds.request_unsatisfied',
  'anoncreds.options_invalid',
  'anoncreds.attribute_unexpected',
  'anoncreds.unknown_identifier',
  'anoncreds.self_attested_restricted',
  'anoncreds.predicate_mismatch',
  'anoncreds.timestamp_invalid',
  'anoncreds.revocation_unsupported',
  'anoncreds.credential_revoked',
  'anoncreds.non_revocation_missing',
] as const
export type AnonCredsErrorCode = (typeof ANONCREDS_ERROR_CODES)[number]

export class AnonCredsError extends VcError<AnonCredsErrorCode> {
  override name = 'AnonCredsError'
}
