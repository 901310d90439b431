import { list, shared, whichCopies } from './groups.js'
import type { Finding, Fingerprint } from './model.js'

export interface RuleContext {
  readonly fps: readonly Fingerprint[]
  readonly granularitySeconds: number
  readonly sharedIdentifiers: ReadonlySet<string>
}

const NUMERIC_DATES = new Set(['iat', 'nbf', 'exp'])

function showTime(field: string, seconds: number): string {
  return NUMERIC_DATES.has(field)
    ? `${field} ${seconds}`
    : `${field} ${new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')}`
}

/** The same issuer-signed part twice: the same credential, linkable by anything in it. */
export function duplicateCopies({ fps }: RuleContext): Finding[] {
  return [...shared(fps.map((f, i) => [f.signed, i] as const)).values()].map((copies) => ({
    field: 'credential',
    kind: 'audit.duplicate_copy',
    severity: 'high',
    evidence: `${whichCopies(copies, fps.length)} are the same credential`,
    copies,
  }))
}

/**
 * RFC 9901 §10.1, OpenID4VCI 1.0 §15.4.1: times MUST be randomized or rounded. A value on a multiple of the
 * granularity is rounded and shared with everything issued in that period; an exact second shared by every
 * copy links them (high). A few copies sharing a second is what randomizing does now and then (low).
 */
export function sameTimestamps({ fps, granularitySeconds }: RuleContext): Finding[] {
  const fields = [...new Set(fps.flatMap((f) => f.timestamps.map((t) => t.field)))]
  const out: Finding[] = []
  for (const field of fields) {
    const entries = fps.flatMap((f, i) => f.timestamps.filter((t) => t.field === field).map((t) => [t.seconds, i] as const))
    for (const [seconds, copies] of shared(entries)) {
      if (seconds % granularitySeconds === 0) continue
      const all = copies.length === fps.length
      out.push({
        field,
        kind: 'audit.same_timestamp',
        severity: all ? 'high' : 'low',
        evidence: `${whichCopies(copies, fps.length)} have ${showTime(field, seconds)} (exact, not rounded)`,
        copies,
      })
    }
  }
  return out
}

/** RFC 9901 §10.1: "New Key Binding keys … MUST be used for each credential in the batch"; OpenID4VCI 1.0 §3.3.2. */
export function sameHolderKeys({ fps }: RuleContext): Finding[] {
  const out: Finding[] = []
  for (const [, copies] of shared(fps.flatMap((f, i) => (f.holderKey ? [[f.holderKey.value, i] as const] : [])))) {
    const key = fps[copies[0] as number]?.holderKey
    if (!key) continue
    const noun = key.kind === 'audit.same_device_key' ? 'device key' : 'holder key'
    out.push({
      field: key.field,
      kind: key.kind,
      severity: 'high',
      evidence: `${whichCopies(copies, fps.length)} are bound to one ${noun}`,
      copies,
    })
  }
  return out
}

/** RFC 9901 §10.1: fresh salts per credential; ISO 18013-5 §9.1.2.5: a fresh `random` per item. Values are never shown. */
export function repeatedSalts({ fps }: RuleContext): Finding[] {
  const labels = new Map<string, Set<string>>()
  const entries = fps.flatMap((f, i) =>
    f.salts.map((s) => {
      labels.set(s.value, (labels.get(s.value) ?? new Set()).add(s.label))
      return [s.value, i] as const
    }),
  )
  const repeats = shared(entries)
  if (repeats.size === 0) return []
  const copies = [...new Set([...repeats.values()].flat())].sort((a, b) => a - b)
  const names = [...new Set([...repeats.keys()].flatMap((v) => [...(labels.get(v) ?? [])]))].sort()
  const field = fps[0]?.salts[0]?.field ?? 'salt'
  return [
    {
      field,
      kind: 'audit.repeated_salt',
      severity: 'high',
      evidence: `${repeats.size} salt value(s) recur in ${whichCopies(copies, fps.length)} (claims ${list(names)})`,
      copies,
    },
  ]
}

/** Digests are visible to every verifier, disclosed or not: one recurring across copies links them. */
export function repeatedDigests({ fps }: RuleContext): Finding[] {
  const repeats = shared(fps.flatMap((f, i) => f.digests.map((d) => [d.value, i] as const)))
  if (repeats.size === 0) return []
  const copies = [...new Set([...repeats.values()].flat())].sort((a, b) => a - b)
  return [
    {
      field: fps[0]?.digests[0]?.field ?? 'digest',
      kind: 'audit.repeated_digest',
      severity: 'high',
      evidence: `${repeats.size} digest(s) recur in ${whichCopies(copies, fps.length)}`,
      copies,
    },
  ]
}

/**
 * RFC 9901 §4.2.5 and §10.4: decoys hide how many claims there are. Copies of one batch carry the same claims,
 * so with no decoys every holder of the type has the same digest count (digests = disclosures): not a finding.
 * With decoys, a count shared by every copy is harmless when the issuer uses it for everyone (a fixed number, or
 * padding to a fixed total), but singles the batch out when it is drawn once per batch; the credentials cannot
 * tell which, so this is low: draw the number per copy and the copies differ.
 */
export function decoyCount({ fps }: RuleContext): Finding[] {
  if (fps.length < 2 || !fps.every((f) => f.digestCount)) return []
  const decoys = fps.map((f) => (f.digestCount ? f.digestCount.digests - f.digestCount.disclosures : 0))
  const first = decoys[0] as number
  if (first <= 0 || decoys.some((d) => d !== first)) return []
  const c = fps[0]?.digestCount
  return [
    {
      field: '_sd',
      kind: 'audit.decoy_count',
      severity: 'low',
      evidence: `all ${fps.length} copies carry ${first} decoy digest(s) (${c?.digests} digests, ${c?.disclosures} disclosures): if drawn per batch, the count singles the batch out; draw it per copy`,
    },
  ]
}

/** OpenID4VCI 1.0 §15.4.1 "unique values encoded in the credential": an identifier in every copy is a handle on all of them. */
export function sameIdentifiers({ fps, sharedIdentifiers }: RuleContext): Finding[] {
  const fields = [...new Set(fps.flatMap((f) => f.identifiers.map((x) => x.field)))]
  const out: Finding[] = []
  for (const field of fields) {
    const entries = fps.flatMap((f, i) =>
      f.identifiers.filter((x) => x.field === field && !sharedIdentifiers.has(x.value)).map((x) => [x.value, i] as const),
    )
    for (const copies of shared(entries).values()) {
      out.push({
        field,
        kind: 'audit.per_copy_identifier',
        severity: 'high',
        evidence: `${whichCopies(copies, fps.length)} have the same ${field}`,
        copies,
      })
    }
  }
  return out
}
