import { isJsonObject, type JsonValue } from '@bonafide/core'
import { type ConcretePath, samePath, selectClaims } from './claim-path.js'
import { copyJson } from './document.js'
import { SchemaError } from './errors.js'
import { pointerOf, reportOf, type SchemaIssue, type SchemaReport } from './report.js'
import { type ClaimMetadata, parseTypeMetadata, type TypeMetadataDocument } from './type-metadata.wire.js'
import type { SchemaValidator } from './validator.js'
import { validateClaims } from './validator.js'

export interface ValidateSdJwtVcClaimsOptions {
  /**
   * The payload is the complete issued credential (an issuer, or a holder with every Disclosure):
   * `mandatory` claims are checked. Default true. A verifier holding a presentation passes false,
   * since the absence of a selectively disclosable claim is no evidence the issuer left it out (§4.6).
   */
  complete?: boolean
  /**
   * Concrete paths of the claims that were directly represented as Disclosures (array indices as
   * issued). When given, `sd: always` / `sd: never` are checked (§4.6.4).
   */
  disclosed?: readonly ConcretePath[]
  /** Also validate the payload against this JSON Schema (e.g. the registered schema the type came from). */
  schema?: unknown
  validator?: SchemaValidator
}

/**
 * Validate a processed SD-JWT VC payload against (already merged) Type Metadata (§4.6): every
 * `path` processes without error, `mandatory` claims are present, `sd` is honoured, and the
 * payload's `vct` is the type's. Malformed claim metadata throws `schema.type_metadata_invalid`.
 * @example validateSdJwtVcClaims(typeMetadata, verified.claims, { disclosed: verified.paths.map((p) => p.path) })
 */
export function validateSdJwtVcClaims(metadata: unknown, payload: unknown, o: ValidateSdJwtVcClaimsOptions = {}): SchemaReport {
  const meta = parseTypeMetadata(metadata)
  const data = copyJson(payload, 64, 1 << 20, 'claims')
  if (!isJsonObject(data)) return reportOf([{ path: '', keyword: 'type', message: 'the payload must be a JSON object' }])
  const errors: SchemaIssue[] = []
  if (data.vct !== meta.vct) errors.push({ path: '/vct', keyword: 'vct', message: 'vct differs from the type metadata' })
  const disclosed = o.disclosed?.map((p) => pointerOf(p))
  const disclosedSet = disclosed ? new Set(disclosed) : undefined
  for (const c of meta.claims ?? []) errors.push(...checkClaim(c, data, o.complete ?? true, disclosedSet))
  if (o.schema !== undefined) errors.push(...validateClaims(o.schema, data, o.validator).errors)
  return reportOf(errors)
}

function checkClaim(c: ClaimMetadata, data: JsonValue, complete: boolean, disclosed: Set<string> | undefined): SchemaIssue[] {
  const where = pointerOf(c.path)
  const selected = selectClaims(data, c.path)
  if (!selected) return [{ path: where, keyword: 'path', message: 'the claim path does not fit the payload structure' }]
  const out: SchemaIssue[] = []
  if (c.mandatory === true && complete && selected.length === 0)
    out.push({ path: where, keyword: 'mandatory', message: 'mandatory claim is missing' })
  if (disclosed && (c.sd === 'always' || c.sd === 'never'))
    for (const s of selected) {
      const isSd = disclosed.has(pointerOf(s.path))
      if (c.sd === 'always' && !isSd)
        out.push({ path: pointerOf(s.path), keyword: 'sd', message: 'claim must be selectively disclosable' })
      if (c.sd === 'never' && isSd)
        out.push({ path: pointerOf(s.path), keyword: 'sd', message: 'claim must not be selectively disclosable' })
    }
  return out
}

/**
 * Apply `extends` (§4.4): given the resolved chain most-derived first (as `@bonafide/sd-jwt`'s
 * `resolveTypeMetadata` returns it), produce the effective document. `display` is inherited unless
 * redefined (§4.5.2); claim metadata merges by `path`, child properties winning (§4.6.5), except
 * that `sd: always|never` may not change and `mandatory: true` may not become false (§4.6.5.1).
 */
export function mergeTypeMetadata(chain: readonly unknown[]): TypeMetadataDocument {
  const docs = chain.map(parseTypeMetadata)
  const [derived] = docs
  if (!derived) throw new SchemaError('schema.type_metadata_invalid', 'an empty type metadata chain')
  let claims: ClaimMetadata[] = []
  let display: TypeMetadataDocument['display']
  for (const doc of [...docs].reverse()) {
    if (doc.display !== undefined) display = doc.display
    for (const child of doc.claims ?? []) {
      const k = claims.findIndex((c) => samePath(c.path, child.path))
      const base = k >= 0 ? claims[k] : undefined
      if (base) {
        if ((base.sd === 'always' || base.sd === 'never') && child.sd !== undefined && child.sd !== base.sd)
          throw new SchemaError('schema.type_metadata_invalid', 'an extending type may not change sd always/never (§4.6.5.1)')
        if (base.mandatory === true && child.mandatory === false)
          throw new SchemaError('schema.type_metadata_invalid', 'an extending type may not make a mandatory claim optional')
        claims = claims.with(k, { ...base, ...child })
      } else claims = [...claims, child]
    }
  }
  const { extends: _e, 'extends#integrity': _i, ...rest } = derived
  return { ...rest, ...(display !== undefined ? { display } : {}), claims }
}
