import { isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import type { InputDescriptor, PexField, PresentationDefinition } from './definition.js'
import type { FilterEvaluator } from './filter.js'
import { evaluateJsonPath, formatLocation, type JsonPath, type NodeLocation, parseJsonPath } from './jsonpath.js'

/** `vc+sd-jwt` is the earlier name of `dc+sd-jwt`: one format, two designations. */
export function canonicalFormat(f: string): string {
  return f === 'vc+sd-jwt' ? 'dc+sd-jwt' : f
}

/** The designations a descriptor accepts: its own `format`, else the definition's, else any (undefined). */
export function acceptedFormats(pd: PresentationDefinition, d: InputDescriptor): string[] | undefined {
  const f = d.format ?? pd.format
  return f ? Object.keys(f) : undefined
}

/** The designation (as the definition spells it) under which `format` is accepted, if it is. */
export function acceptedAs(pd: PresentationDefinition, d: InputDescriptor, format: string): string | undefined {
  const acc = acceptedFormats(pd, d)
  if (!acc) return format
  return acc.find((a) => a === format) ?? acc.find((a) => canonicalFormat(a) === canonicalFormat(format))
}

/**
 * The object a descriptor's field paths are evaluated against. SD-JWT VC and JWT VCs: the
 * verified (disclosed) claims, with `vct` and `iss` from the signed payload, so `$.vct`,
 * `$.given_name`, `$.address.locality` and `$.vc.credentialSubject.x` work as written. mso_mdoc:
 * `{ namespace: { element: value } }`, so `$['org.iso.18013.5.1']['family_name']` (ISO/IEC
 * 18013-7 Annex B, as OpenID4VP implementations write mdoc PEX paths) selects the element.
 */
export function evaluationObject(format: string, claims: JsonObject, meta: { vct?: string; issuer?: string } = {}): JsonObject {
  if (format === 'mso_mdoc') return claims
  return {
    ...(meta.vct !== undefined ? { vct: meta.vct } : {}),
    ...(meta.issuer !== undefined ? { iss: meta.issuer } : {}),
    ...claims,
  }
}

/** ISO/IEC 18013-7 Annex B: the input descriptor id of an mdoc request is the doctype. */
export function doctypeOk(d: InputDescriptor, format: string, doctype: string | undefined): boolean {
  return format !== 'mso_mdoc' || doctype === d.id
}

export interface FieldMatch {
  readonly fieldIndex: number
  readonly id?: string
  /** The location of the Field Query Result; absent for an optional field that found nothing. */
  readonly location?: NodeLocation
  readonly value?: JsonValue
  readonly optional: boolean
  readonly intentToRetain: boolean
}

export type FieldsResult =
  | { readonly ok: true; readonly matches: readonly FieldMatch[] }
  | { readonly ok: false; readonly fieldIndex: number }

const parsedPaths = new WeakMap<PexField, JsonPath[]>()

function pathsOf(f: PexField): JsonPath[] {
  let p = parsedPaths.get(f)
  if (!p) parsedPaths.set(f, (p = f.path.map((s) => parseJsonPath(s))))
  return p
}

/**
 * PEX 2.1.1 §Input Evaluation step 1: for each field, the paths in order; the first match of a
 * path is the candidate; it must pass `filter`; a field with no result fails unless `optional`.
 */
export function evaluateFields(obj: JsonValue, d: InputDescriptor, evaluator: FilterEvaluator): FieldsResult {
  const matches: FieldMatch[] = []
  for (const [i, f] of (d.constraints.fields ?? []).entries()) {
    const test = f.filter === undefined ? undefined : evaluator.compile(f.filter as JsonValue)
    let found: FieldMatch | undefined
    for (const p of pathsOf(f)) {
      const first = evaluateJsonPath(p, obj)[0]
      if (!first || (test && !test(first.value))) continue
      found = {
        fieldIndex: i,
        location: first.location,
        value: first.value,
        optional: f.optional === true,
        intentToRetain: f.intent_to_retain === true,
        ...(f.id ? { id: f.id } : {}),
      }
      break
    }
    if (!found && f.optional !== true) return { ok: false, fieldIndex: i }
    matches.push(
      found ?? { fieldIndex: i, optional: true, intentToRetain: f.intent_to_retain === true, ...(f.id ? { id: f.id } : {}) },
    )
  }
  return { ok: true, matches }
}

/** SD-JWT VC claims that MUST NOT be selectively disclosed (draft-ietf-oauth-sd-jwt-vc §3.2.2.2). */
const NEVER_DISCLOSABLE = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'aka_vcts', 'status'])
/** …and `iat`/`sub`, which issuers usually leave plain: none of these count as over-disclosure (as for DCQL). */
const ALWAYS_PRESENT = new Set([...NEVER_DISCLOSABLE, 'iat', 'sub'])

/** Whether a location is a claim the credential always carries (never selectively disclosed). */
export function alwaysPresent(format: string, loc: NodeLocation): boolean {
  return format !== 'mso_mdoc' && loc.length === 1 && NEVER_DISCLOSABLE.has(String(loc[0]))
}

function related(a: NodeLocation, b: NodeLocation): boolean {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false
  return true
}

function leaves(v: JsonValue, at: (string | number)[], out: (string | number)[][]): void {
  if (isJsonObject(v) && Object.keys(v).length > 0) {
    for (const k of Object.keys(v)) leaves(v[k] as JsonValue, [...at, k], out)
  } else out.push(at)
}

/**
 * §Limited Disclosure Submissions: the claims present beyond what the fields selected, as
 * normalized JSONPaths. A claim is covered when it lies on the way to, or under, a selected
 * location. mso_mdoc: per data element; other formats: per leaf, ignoring the claims an SD-JWT VC
 * always carries.
 */
export function overDisclosure(format: string, claims: JsonObject, matches: readonly FieldMatch[]): string[] {
  const asked = matches.flatMap((m) => (m.location ? [m.location] : []))
  const all: (string | number)[][] = []
  if (format === 'mso_mdoc') {
    for (const ns of Object.keys(claims)) {
      const els = claims[ns]
      if (isJsonObject(els)) for (const e of Object.keys(els)) all.push([ns, e])
    }
  } else {
    for (const k of Object.keys(claims)) if (!ALWAYS_PRESENT.has(k)) leaves(claims[k] as JsonValue, [k], all)
  }
  return all.filter((loc) => !asked.some((a) => related(a, loc))).map(formatLocation)
}
