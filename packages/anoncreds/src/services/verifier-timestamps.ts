/**
 * Non-revocation intervals and identifier timestamps (AnonCreds v1 §Request Non-Revocation Proofs, §AnonCreds
 * Conventions "Presentation Request Revocation Intervals"; anoncreds-rs `check_non_revoked_interval`,
 * `get_requested_non_revoked_interval`, `NonRevokedInterval::compare_and_set` / `update_with_override` /
 * `is_valid`). Only credential definitions with revocation keys are checked, as in anoncreds-rs.
 */
import type { CredentialDefinition } from '../objects/credential-definition.js'
import { type CheckContext, reject } from './verifier-checks.js'

/** rev_reg_id → { requested `from` → accepted `from` }. */
export type NonRevokedIntervalOverride = Readonly<Record<string, Readonly<Record<number, number>>>>

interface Interval {
  from?: number | null | undefined
  to?: number | null | undefined
}

/** `compare_and_set`: the latest `from` and the earliest `to` of both. */
export function narrowInterval(a: Interval | undefined, b: Interval | null | undefined): Interval | undefined {
  if (b == null) return a
  if (a === undefined) return { from: b.from ?? undefined, to: b.to ?? undefined }
  const pick = (x: number | null | undefined, y: number | null | undefined, later: boolean) =>
    y == null ? (x ?? undefined) : x == null ? y : later ? Math.max(x, y) : Math.min(x, y)
  return { from: pick(a.from, b.from, true), to: pick(a.to, b.to, false) }
}

/** The interval that applies to the credential at `index` (`check_non_revoked_interval` before `is_valid`). */
export function intervalFor(ctx: CheckContext, index: number, revRegId: string | null, override?: NonRevokedIntervalOverride) {
  const { presentation: p, request: req } = ctx
  const rp = p.requested_proof
  let interval: Interval | undefined
  const attrRefs = [...Object.entries(rp.revealed_attrs), ...Object.entries(rp.revealed_attr_groups ?? {})]
  for (const [referent, info] of attrRefs) {
    if (info.sub_proof_index === index) interval = narrowInterval(interval, req.requested_attributes?.[referent]?.non_revoked)
  }
  for (const [referent, info] of Object.entries(rp.predicates ?? {})) {
    if (info.sub_proof_index === index) interval = narrowInterval(interval, req.requested_predicates?.[referent]?.non_revoked)
  }
  if (revRegId === null) return interval
  interval ??= narrowInterval(undefined, req.non_revoked)
  const map = override && Object.hasOwn(override, revRegId) ? override[revRegId] : undefined
  if (interval?.from != null && map && Object.hasOwn(map, interval.from)) interval.from = map[interval.from]
  return interval
}

/**
 * For each credential whose definition supports revocation: a timestamp is required when an interval applies and
 * must lie in it (`anoncreds.timestamp_invalid`). With `now`, no timestamp may lie in the future. The
 * non-revocation proof itself is checked in verifier-revocation.ts.
 */
export function checkTimestamps(
  ctx: CheckContext,
  credDefs: readonly CredentialDefinition[],
  options: { nonRevokedIntervalOverride?: NonRevokedIntervalOverride | undefined; now?: number | undefined },
): void {
  ctx.presentation.identifiers.forEach((id, index) => {
    const timestamp = id.timestamp ?? undefined
    if (timestamp !== undefined && options.now !== undefined && timestamp > options.now) {
      reject('anoncreds.timestamp_invalid', 'identifier timestamp is in the future', { index })
    }
    if (credDefs[index]?.value.revocation == null) return
    const interval = intervalFor(ctx, index, id.rev_reg_id ?? null, options.nonRevokedIntervalOverride)
    if (interval !== undefined) {
      if (timestamp === undefined)
        reject('anoncreds.timestamp_invalid', 'Identifier timestamp not found for revocation check', { index })
      if (timestamp! < (interval.from ?? 0) || (interval.to != null && timestamp! > interval.to)) {
        reject('anoncreds.timestamp_invalid', 'identifier timestamp outside the non-revoked interval', { index })
      }
    }
  })
}
