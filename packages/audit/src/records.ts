import { parseWire } from '@bonafide/core'
import { z } from 'zod'
import { AUDIT_LIMITS } from './detect.js'
import { AuditError } from './errors.js'
import type { AuditOptions, AuditReport, Fingerprint } from './model.js'
import { buildReport } from './report.js'

const zMs = z.number().int().nonnegative()

/** What an issuer (or an agent) keeps about one copy of a batch instead of the credential. */
export const zIssuanceRecord = z
  .looseObject({
    id: z.string().min(1),
    /** Milliseconds since the epoch. */
    issuedAt: zMs,
    expiresAt: zMs,
    statusListId: z.string().min(1).nullable(),
    statusIndex: z.number().int().nonnegative().nullable(),
    statusListSize: z.number().int().positive().optional(),
    holderKeyThumbprint: z.string().min(1),
  })
  .refine((r) => (r.statusListId === null) === (r.statusIndex === null), 'statusListId and statusIndex go together')
export type IssuanceRecord = z.output<typeof zIssuanceRecord>

export type AuditRecordsOptions = Pick<
  AuditOptions,
  'timestampGranularitySeconds' | 'smallStatusListThreshold' | 'maxSequenceStep'
>

function fingerprint(r: IssuanceRecord, index: number): Fingerprint {
  return {
    format: 'records',
    type: 'records',
    signed: `record ${index}`,
    // Credentials carry whole seconds: records that differ only in milliseconds still collide.
    timestamps: [
      { field: 'issuedAt', seconds: Math.floor(r.issuedAt / 1000) },
      { field: 'expiresAt', seconds: Math.floor(r.expiresAt / 1000) },
    ],
    holderKey: { field: 'holderKeyThumbprint', kind: 'audit.same_holder_key', value: r.holderKeyThumbprint },
    salts: [],
    digests: [],
    status:
      r.statusListId !== null && r.statusIndex !== null
        ? [{ field: 'statusIndex', list: r.statusListId, index: r.statusIndex }]
        : [],
    identifiers: [{ field: 'id', value: r.id }],
  }
}

function parseRecords(records: unknown): IssuanceRecord[] {
  if (!Array.isArray(records)) throw new AuditError('audit.record_invalid', 'records must be an array')
  if (records.length === 0) throw new AuditError('audit.batch_empty', 'a batch needs at least one record')
  if (records.length > AUDIT_LIMITS.maxCopies)
    throw new AuditError('audit.too_large', `at most ${AUDIT_LIMITS.maxCopies} records are audited at once`)
  return records.map((r, index) => {
    try {
      return parseWire(zIssuanceRecord, r, 'audit.record_invalid')
    } catch (cause) {
      throw new AuditError('audit.record_invalid', `record ${index} is malformed`, { cause, details: { index } })
    }
  })
}

/**
 * The same audit over the issuance records of one batch (for an issuer that keeps records, not credentials):
 * second-exact `issuedAt`/`expiresAt` shared by the copies, one holder key, equal or adjacent status indices
 * in one list, small lists (`statusListSize`).
 * @example
 * auditRecords(batch.map((c) => ({ id: c.id, issuedAt, expiresAt, statusListId, statusIndex, holderKeyThumbprint })))
 */
export function auditRecords(records: readonly IssuanceRecord[], options: AuditRecordsOptions = {}): AuditReport {
  const parsed = parseRecords(records)
  const sizes: Record<string, number> = Object.create(null)
  for (const r of parsed) {
    if (r.statusListId !== null && r.statusListSize !== undefined)
      sizes[r.statusListId] = Math.max(sizes[r.statusListId] ?? 0, r.statusListSize)
  }
  const o: AuditOptions = {
    ...(options.timestampGranularitySeconds !== undefined
      ? { timestampGranularitySeconds: options.timestampGranularitySeconds }
      : {}),
    ...(options.smallStatusListThreshold !== undefined ? { smallStatusListThreshold: options.smallStatusListThreshold } : {}),
    ...(options.maxSequenceStep !== undefined ? { maxSequenceStep: options.maxSequenceStep } : {}),
    statusListSizes: sizes,
  }
  return buildReport('records', parsed.map(fingerprint), o)
}
