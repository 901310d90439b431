/** The formats the audit reads; `records` are issuance records kept instead of the credentials. */
export type AuditFormat = 'sd-jwt-vc' | 'jwt-vc' | 'mdoc' | 'records'
export type CredentialFormat = Exclude<AuditFormat, 'records'>

export type Severity = 'high' | 'medium' | 'low' | 'info'

/**
 * One thing colluding verifiers could use to link copies. `kind` is a stable code; `evidence` is short
 * and never carries claim values or identifiers (timestamps and status indices are shown, they are the finding).
 */
export interface Finding {
  readonly field: string
  readonly kind: FindingKind
  readonly severity: Severity
  readonly evidence: string
  /** The copies (0-based indices into the input) the finding is about; absent when it is about all of them. */
  readonly copies?: readonly number[]
}

export const FINDING_KINDS = [
  'audit.single_copy',
  'audit.duplicate_copy',
  'audit.same_timestamp',
  'audit.same_holder_key',
  'audit.same_device_key',
  'audit.repeated_salt',
  'audit.repeated_digest',
  'audit.decoy_count',
  'audit.same_status_index',
  'audit.adjacent_status_index',
  'audit.small_status_list',
  'audit.per_copy_identifier',
] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

/** `linkable` when any finding is high or medium; low and info findings are advice. */
export interface AuditReport {
  readonly verdict: 'unlinkable' | 'linkable'
  readonly copies: number
  readonly format: AuditFormat
  readonly findings: readonly Finding[]
}

export interface AuditOptions {
  /** Skip detection (every copy must then be of this format). */
  format?: CredentialFormat
  /**
   * A timestamp shared by every copy is fine when it is rounded (RFC 9901 §10.1): a multiple of this many
   * seconds counts as rounded, so it is shared with everything issued in that period. Default 3600.
   */
  timestampGranularitySeconds?: number
  /** Known sizes (entries) of status lists, by list URI (or record `statusListId`). */
  statusListSizes?: Readonly<Record<string, number>>
  /** A list with fewer entries than this offers little herd privacy. Default 131,072 (W3C Bitstring Status List minimum). */
  smallStatusListThreshold?: number
  /** Indices in one list spaced by at most this much, in a regular sequence, count as consecutive. Default 16. */
  maxSequenceStep?: number
  /** Identifier values every holder of the type shares (e.g. a fixed `sub`); never findings. */
  sharedIdentifiers?: readonly string[]
}

/** What one copy exposes that could link it to another: the normalized input of the rules. */
export interface Fingerprint {
  readonly format: AuditFormat
  /** What every holder of the type shares (vct, docType, types, issuer): copies must agree on it. */
  readonly type: string
  /** The issuer-signed part as received: equal means the same credential twice. */
  readonly signed: string
  /** Seconds since the epoch (fractional when the format carries more). */
  readonly timestamps: readonly { field: string; seconds: number }[]
  readonly holderKey?: { field: string; kind: 'audit.same_holder_key' | 'audit.same_device_key'; value: string }
  readonly salts: readonly { field: string; label: string; value: string }[]
  readonly digests: readonly { field: string; value: string }[]
  /** SD-JWT only: every digest in the signed payload (decoys included) and the disclosures issued. */
  readonly digestCount?: { digests: number; disclosures: number }
  readonly status: readonly { field: string; list: string; index: number }[]
  readonly identifiers: readonly { field: string; value: string }[]
}
