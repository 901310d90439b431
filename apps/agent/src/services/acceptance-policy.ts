import { isJsonObject, type JsonObject } from '@bonafide/core'
import { z } from 'zod'
import type { VerificationReport } from './verification-report.js'

/**
 * Identus separates *verified* (cryptography and protocol) from *accepted* (the verifier's business decision).
 * A policy attached to a session decides acceptance as soon as the presentation verifies; without one an operator
 * accepts or rejects.
 */
const zClaimPath = z
  .array(z.union([z.string().min(1).max(200), z.number().int().min(0)]))
  .min(1)
  .max(16)
const zValue = z.union([z.string().max(1000), z.number(), z.boolean()])

export const zAcceptancePolicy = z.strictObject({
  /** Each rule: the claim at `path` (in the named query, or in any) equals one of `values` (or just is present). */
  requiredClaims: z
    .array(
      z.strictObject({
        queryId: z.string().min(1).max(200).optional(),
        path: zClaimPath,
        values: z.array(zValue).min(1).max(100).optional(),
      }),
    )
    .max(50)
    .optional(),
  /** `iss` of every SD-JWT VC / JWT-VC presentation must be one of these (mdoc has no iss: it fails this rule). */
  trustedIssuers: z.array(z.string().min(1).max(2000)).min(1).max(100).optional(),
  /** The holder is at least this old: `age_over_NN` / `age_equal_or_over.NN` true with NN ≥ it, or a birth date. */
  minimumAge: z.number().int().min(1).max(150).optional(),
})
export type AcceptancePolicy = z.output<typeof zAcceptancePolicy>

export interface PolicyDecision {
  readonly accepted: boolean
  readonly reasons: readonly string[]
}

/** The value at a claim path; mdoc claims are `{ namespace: { element } }`, so the path is [namespace, element]. */
function at(claims: JsonObject, path: readonly (string | number)[]): unknown {
  let v: unknown = claims
  for (const p of path) {
    if (Array.isArray(v) && typeof p === 'number') v = v[p]
    else if (isJsonObject(v) && typeof p === 'string' && Object.hasOwn(v, p)) v = v[p]
    else return undefined
  }
  return v
}

/** Flatten one level of namespaces (mdoc) so age claims are found the same way in every format. */
function flat(c: JsonObject): JsonObject {
  const out: JsonObject = { ...c }
  for (const v of Object.values(c)) if (isJsonObject(v)) Object.assign(out, v)
  return out
}

function ageOk(claims: JsonObject, min: number, nowMs: number): boolean {
  const f = flat(claims)
  for (const [k, v] of Object.entries(f)) {
    const m = /^age_over_(\d{1,3})$/.exec(k)
    if (m && v === true && Number(m[1]) >= min) return true
  }
  const eq = f.age_equal_or_over
  if (isJsonObject(eq) && Object.entries(eq).some(([n, v]) => v === true && Number(n) >= min)) return true
  const birth = f.birthdate ?? f.birth_date
  if (typeof birth !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birth)) return false
  const b = new Date(`${birth}T00:00:00Z`)
  const now = new Date(nowMs)
  const turned = new Date(Date.UTC(b.getUTCFullYear() + min, b.getUTCMonth(), b.getUTCDate()))
  return !Number.isNaN(b.getTime()) && turned.getTime() <= now.getTime()
}

/** Apply a policy to a verified report. */
export function decide(policy: AcceptancePolicy, report: VerificationReport, nowMs: number): PolicyDecision {
  const reasons: string[] = []
  const presented = report.queries.filter((q) => q.valid)
  const all = presented.flatMap((q) => q.claims.map((c) => ({ q, c })))
  for (const r of policy.requiredClaims ?? []) {
    const scope = r.queryId ? all.filter((x) => x.q.queryId === r.queryId) : all
    const ok = scope.some(({ c }) => {
      const v = at(c, r.path)
      return v !== undefined && (!r.values || r.values.some((w) => w === v))
    })
    if (!ok) reasons.push(`claim ${JSON.stringify(r.path)} ${r.values ? 'does not have a required value' : 'is missing'}`)
  }
  if (policy.trustedIssuers) {
    const trusted = new Set(policy.trustedIssuers)
    if (all.some(({ c }) => typeof c.iss !== 'string' || !trusted.has(c.iss)))
      reasons.push('a credential comes from an issuer the policy does not list')
  }
  if (policy.minimumAge !== undefined && !all.some(({ c }) => ageOk(c, policy.minimumAge as number, nowMs)))
    reasons.push(`no disclosed claim shows an age of at least ${policy.minimumAge}`)
  return { accepted: reasons.length === 0, reasons }
}
