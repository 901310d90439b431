import { type CopyInput, checkLimits, detectFormat } from './detect.js'
import { AuditError } from './errors.js'
import { jwtVcFingerprint } from './jwt-vc.js'
import { mdocFingerprint } from './mdoc.js'
import type { AuditOptions, AuditReport, CredentialFormat, Fingerprint } from './model.js'
import { buildReport, checkSameType } from './report.js'
import { sdJwtFingerprint } from './sd-jwt.js'

const FORMATS: readonly CredentialFormat[] = ['sd-jwt-vc', 'jwt-vc', 'mdoc']

function text(copy: CopyInput, index: number, format: CredentialFormat): string {
  if (typeof copy === 'string') return copy
  throw new AuditError('audit.credential_invalid', `copy ${index}: ${format} is text, not bytes`, { details: { index } })
}

function fingerprint(copy: CopyInput, index: number, format: CredentialFormat): Fingerprint {
  if (format === 'mdoc') return mdocFingerprint(copy, index)
  return format === 'sd-jwt-vc'
    ? sdJwtFingerprint(text(copy, index, format), index)
    : jwtVcFingerprint(text(copy, index, format), index)
}

/**
 * Audit the copies of one batch for what colluding verifiers could use to link them (RFC 9901 §10.1,
 * OpenID4VCI 1.0 §15.4.1, draft-ietf-oauth-status-list-20 §12.5): shared exact timestamps, holder/device keys,
 * salts and digests, status indices, identifiers. Parses strictly; never checks signatures.
 * @example
 * const r = auditBatch(credentials)
 * if (r.verdict === 'linkable') for (const f of r.findings) console.log(f.severity, f.field, f.evidence)
 */
export function auditBatch(
  credentials: readonly string[] | readonly Uint8Array[] | readonly CopyInput[],
  options: AuditOptions = {},
): AuditReport {
  checkLimits(credentials)
  if (options.format !== undefined && !FORMATS.includes(options.format))
    throw new AuditError('audit.options_invalid', 'format must be sd-jwt-vc, jwt-vc or mdoc')
  // Each copy is parsed as what it looks like, so a malformed copy is named as such, not as another format.
  const fps = credentials.map((c, i) => fingerprint(c, i, options.format ?? detectFormat(c, i)))
  checkSameType(fps)
  return buildReport((fps[0] as Fingerprint).format, fps, options)
}
