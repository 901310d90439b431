import { MIN_BITSTRING_ENTRIES } from '@bonafide/status-list'
import { AuditError } from './errors.js'
import type { AuditFormat, AuditOptions, AuditReport, Finding, Fingerprint, Severity } from './model.js'
import {
  decoyCount,
  duplicateCopies,
  type RuleContext,
  repeatedDigests,
  repeatedSalts,
  sameHolderKeys,
  sameIdentifiers,
  sameTimestamps,
} from './rules.js'
import { statusFindings } from './status-rules.js'

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 }
const RULES = [duplicateCopies, sameTimestamps, sameHolderKeys, repeatedSalts, repeatedDigests, decoyCount, sameIdentifiers]

function positive(v: number | undefined, def: number, name: string): number {
  if (v === undefined) return def
  if (!Number.isInteger(v) || v <= 0) throw new AuditError('audit.options_invalid', `${name} must be a positive integer`)
  return v
}

function listSizes(v: AuditOptions['statusListSizes']): Readonly<Record<string, number>> {
  if (v === undefined) return {}
  for (const n of Object.values(v)) positive(n, 0, 'statusListSizes values')
  return v
}

/** OpenID4VCI 1.0 §3.3.2: the copies of a batch share one format and one Credential Dataset. */
export function checkSameType(fps: readonly Fingerprint[]): void {
  const first = fps[0]
  fps.forEach((f, index) => {
    if (f.format !== first?.format || f.type !== first.type)
      throw new AuditError('audit.mixed_batch', `copy ${index} is not of the format and type of copy 0`, { details: { index } })
  })
}

/** Run every rule over the fingerprints of one batch; `linkable` when a high or medium finding remains. */
export function buildReport(format: AuditFormat, fps: readonly Fingerprint[], o: AuditOptions = {}): AuditReport {
  if (fps.length === 1) {
    const evidence = 'one copy: there is nothing to compare it with'
    return {
      verdict: 'unlinkable',
      copies: 1,
      format,
      findings: [{ field: 'batch', kind: 'audit.single_copy', severity: 'info', evidence }],
    }
  }
  const ctx: RuleContext = {
    fps,
    granularitySeconds: positive(o.timestampGranularitySeconds, 3600, 'timestampGranularitySeconds'),
    sharedIdentifiers: new Set(o.sharedIdentifiers ?? []),
  }
  const findings = RULES.flatMap((rule) => rule(ctx))
  findings.push(
    ...statusFindings({
      fps,
      sizes: listSizes(o.statusListSizes),
      smallThreshold: positive(o.smallStatusListThreshold, MIN_BITSTRING_ENTRIES, 'smallStatusListThreshold'),
      maxStep: positive(o.maxSequenceStep, 16, 'maxSequenceStep'),
    }),
  )
  const sorted: Finding[] = findings
    .map((f, i) => [f, i] as const)
    .sort((a, b) => RANK[a[0].severity] - RANK[b[0].severity] || a[1] - b[1])
    .map(([f]) => f)
  const linkable = sorted.some((f) => f.severity === 'high' || f.severity === 'medium')
  return { verdict: linkable ? 'linkable' : 'unlinkable', copies: fps.length, format, findings: sorted }
}
