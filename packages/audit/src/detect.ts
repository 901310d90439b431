import { AuditError } from './errors.js'
import type { CredentialFormat } from './model.js'

/** Refused before anything is parsed. */
export const AUDIT_LIMITS = { maxCopies: 1000, maxCopyBytes: 1 << 20 } as const

export type CopyInput = string | Uint8Array

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const B64U = /^[A-Za-z0-9_-]+$/

/** Count, type and size of every copy, checked before any parsing (hono bodyLimit style). */
export function checkLimits(copies: unknown): asserts copies is readonly CopyInput[] {
  if (!Array.isArray(copies)) throw new AuditError('audit.options_invalid', 'credentials must be an array')
  if (copies.length === 0) throw new AuditError('audit.batch_empty', 'a batch needs at least one copy')
  if (copies.length > AUDIT_LIMITS.maxCopies)
    throw new AuditError('audit.too_large', `at most ${AUDIT_LIMITS.maxCopies} copies are audited at once`)
  for (const [index, c] of copies.entries()) {
    if (typeof c !== 'string' && !(c instanceof Uint8Array))
      throw new AuditError('audit.credential_invalid', `copy ${index}: must be a string or bytes`, { details: { index } })
    // A string's UTF-16 length bounds its UTF-8 size from below; credentials are ASCII, so this is exact for them.
    const size = typeof c === 'string' ? c.length : c.byteLength
    if (size > AUDIT_LIMITS.maxCopyBytes)
      throw new AuditError('audit.too_large', `copy ${index}: larger than 1 MiB`, { details: { index } })
  }
}

/**
 * The format of one copy: bytes are an mdoc IssuerSigned; text with `~` is an SD-JWT, three dot-separated
 * base64url segments a JWT, and plain base64url an mdoc as OpenID4VCI returns `mso_mdoc`.
 */
export function detectFormat(copy: CopyInput, index: number): CredentialFormat {
  if (copy instanceof Uint8Array) return 'mdoc'
  const t = copy.trim()
  if (t.includes('~')) return 'sd-jwt-vc'
  if (JWT.test(t)) return 'jwt-vc'
  if (B64U.test(t)) return 'mdoc'
  throw new AuditError('audit.credential_invalid', `copy ${index}: not an SD-JWT VC, JWT-VC or mdoc`, { details: { index } })
}
