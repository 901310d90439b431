import { VcError } from '@bonafide/core'

/** Error codes thrown by `@bonafide/audit`. Pinned by test/error-codes.test.ts. */
export const AUDIT_ERROR_CODES = [
  'audit.batch_empty',
  'audit.too_large',
  'audit.credential_invalid',
  'audit.mixed_batch',
  'audit.record_invalid',
  'audit.options_invalid',
] as const
export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number]

export class AuditError extends VcError<AuditErrorCode> {
  override name = 'AuditError'
}

/** A copy that cannot be parsed: named by its index, the parser's code kept in details (never the input). */
export function invalidCopy(index: number, cause: unknown, message = 'the credential cannot be parsed'): AuditError {
  const code = (cause as { code?: unknown } | undefined)?.code
  return new AuditError('audit.credential_invalid', `copy ${index}: ${message}`, {
    cause,
    details: { index, ...(typeof code === 'string' ? { code } : {}) },
  })
}
