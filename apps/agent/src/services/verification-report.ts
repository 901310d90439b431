import type { CredentialStatusResult, JsonObject } from '@bonafide/core'
import type { QueryOutcome, SessionResult } from '@bonafide/openid4vp'

/**
 * The checks a presentation goes through (the six steps of an SD-JWT VC presentation, and their mdoc and
 * W3C counterparts): issuer signature and trust, disclosures, holder binding, nonce / replay, transaction data,
 * status, validity; and whether what came back is what the query asked for.
 */
export const CHECKS = [
  'format',
  'issuer_signature',
  'issuer_trust',
  'disclosures',
  'validity',
  'holder_binding',
  'nonce',
  'transaction_data',
  'status',
  'request_match',
] as const
export type CheckName = (typeof CHECKS)[number]
export type CheckOutcome = 'passed' | 'failed' | 'not_checked' | 'not_applicable'

export interface Check {
  readonly check: CheckName
  readonly outcome: CheckOutcome
  readonly code?: string
  readonly detail?: string
  /** What to do about it (an untrusted issuer: how to trust it). */
  readonly hint?: string
}

export const TRUST_HINT =
  'the issuer is not trusted: add its CA with POST /v1/trust {"kind":"x509_root","value":"<PEM>"} or its key with {"kind":"issuer_key","value":<JWK>} (CLI: bonafide trust add)'

export interface QueryReport {
  readonly queryId: string
  readonly format: string
  readonly present: boolean
  readonly valid: boolean
  /** The disclosed claims of each presentation (mdoc: `{ namespace: { element: value } }`). */
  readonly claims: readonly JsonObject[]
  readonly overDisclosed?: readonly (readonly string[])[]
  readonly checks: readonly Check[]
}

export interface VerificationReport {
  readonly valid: boolean
  readonly error?: { code: string; message: string }
  readonly unsatisfiedSets: readonly number[]
  readonly queries: readonly QueryReport[]
}

const RULES: readonly [RegExp, CheckName][] = [
  [/status_/, 'status'],
  [/transaction_data/, 'transaction_data'],
  [/kb_nonce|kb_iat|\.replay$/, 'nonce'],
  [/kb_|cnf_|device_/, 'holder_binding'],
  [/issuer_untrusted|issuer_key_unresolved|x5c|issuer_metadata|chain|anchor/, 'issuer_trust'],
  [/signature_invalid/, 'issuer_signature'],
  [/disclosure|digest|sd_invalid|element_missing/, 'disclosures'],
  [/expired|not_yet_valid|validity|iat_invalid/, 'validity'],
  [/meta_mismatch|claims_not_disclosed|multiple_not_allowed|credential_missing|doctype_mismatch/, 'request_match'],
]

/** Which check a typed error code belongs to (unknown codes: the presentation's format or structure). */
export function checkOf(code: string): CheckName {
  for (const [re, name] of RULES) if (re.test(code)) return name
  return 'format'
}

/** Checks that only run when the validator returned (it throws at the first cryptographic failure). */
const AFTER_VALIDATOR: ReadonlySet<CheckName> = new Set(['status', 'request_match'])

function statusOutcome(s: readonly (CredentialStatusResult | undefined)[] | undefined): Check {
  if (!s || s.every((x) => x === undefined)) return { check: 'status', outcome: 'not_applicable' }
  return { check: 'status', outcome: 'passed', detail: s.map((x) => x?.state ?? 'none').join(',') }
}

/** Per-check outcomes of one query, derived from the validator's typed result. */
export function checksOf(q: QueryOutcome, o: { transactionDataFor: ReadonlySet<string> }): Check[] {
  const td: Check = o.transactionDataFor.has(q.queryId)
    ? { check: 'transaction_data', outcome: 'passed' }
    : { check: 'transaction_data', outcome: 'not_applicable' }
  if (q.valid)
    return CHECKS.map((c) =>
      c === 'transaction_data' ? td : c === 'status' ? statusOutcome(q.status) : { check: c, outcome: 'passed' as const },
    )
  if (!q.present || !q.error) return CHECKS.map((c) => ({ check: c, outcome: 'not_checked' as const }))
  const failed = checkOf(q.error.code)
  return CHECKS.map((c): Check => {
    if (c === failed)
      return {
        check: c,
        outcome: 'failed',
        code: q.error?.code as string,
        detail: q.error?.message as string,
        ...(c === 'issuer_trust' ? { hint: TRUST_HINT } : {}),
      }
    // status and request matching run after the validator succeeded: every cryptographic check passed
    if (AFTER_VALIDATOR.has(failed) && !AFTER_VALIDATOR.has(c))
      return c === 'transaction_data' ? td : { check: c, outcome: 'passed' }
    if (failed === 'request_match' && c === 'status') return statusOutcome(q.status)
    return { check: c, outcome: 'not_checked' }
  })
}

/** The agent's report of a session result: per query its claims and each check. */
export function reportOf(r: SessionResult, transactionDataFor: ReadonlySet<string>): VerificationReport {
  return {
    valid: r.valid,
    ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
    unsatisfiedSets: [...r.unsatisfiedSets],
    queries: r.credentials.map((q) => ({
      queryId: q.queryId,
      format: q.format,
      present: q.present,
      valid: q.valid,
      claims: [...q.claims],
      ...(q.overDisclosed ? { overDisclosed: q.overDisclosed } : {}),
      checks: checksOf(q, { transactionDataFor }),
    })),
  }
}
