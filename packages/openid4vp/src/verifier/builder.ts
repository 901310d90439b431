import type { JsonObject, JsonValue } from '@bonafide/core'
import { type DcqlQuery, parseDcqlQuery } from '../dcql/query.js'

export interface AddCredentialOptions {
  multiple?: boolean
  meta?: JsonObject
  /** Alternative claim combinations by claim id, most preferred first (DCQL `claim_sets`). */
  claimSets?: string[][]
  trustedAuthorities?: { type: string; values: string[] }[]
  requireHolderBinding?: boolean
}

type ClaimInput =
  | string
  | (string | number | null)[]
  | { id?: string; path: (string | number | null)[]; values?: (string | number | boolean)[] }

/**
 * An ergonomic builder for multi-credential DCQL queries.
 * @example
 * const q = new DcqlRequestBuilder()
 *   .addCredential('pid', 'dc+sd-jwt', ['age_over_18'], { meta: { vct_values: ['urn:eudi:pid:1'] } })
 *   .addCredential('mdl', 'mso_mdoc', [['org.iso.18013.5.1', 'driving_privileges']], { meta: { doctype_value: 'org.iso.18013.5.1.mDL' } })
 *   .addCredentialSet('age-and-driving', [['pid', 'mdl']], { required: true })
 *   .build()
 */
export class DcqlRequestBuilder {
  readonly #credentials: JsonObject[] = []
  readonly #sets: JsonObject[] = []

  addCredential(id: string, format: string, claims: readonly ClaimInput[] = [], o: AddCredentialOptions = {}): this {
    const cs = claims.map((c) => {
      if (typeof c === 'string') return { path: c.split('.').map((s) => (s === '*' ? null : /^\d+$/.test(s) ? Number(s) : s)) }
      return Array.isArray(c) ? { path: c } : c
    })
    this.#credentials.push({
      id,
      format,
      meta: (o.meta ?? {}) as JsonValue,
      ...(o.multiple !== undefined ? { multiple: o.multiple } : {}),
      ...(cs.length ? { claims: cs as unknown as JsonValue } : {}),
      ...(o.claimSets ? { claim_sets: o.claimSets } : {}),
      ...(o.trustedAuthorities ? { trusted_authorities: o.trustedAuthorities } : {}),
      ...(o.requireHolderBinding === false ? { require_cryptographic_holder_binding: false } : {}),
    })
    return this
  }

  /** A set of alternatives (each option a list of credential ids); `id` is for the verifier's own bookkeeping. */
  addCredentialSet(_id: string, options: string[][], o: { required?: boolean } = {}): this {
    this.#sets.push({ options, ...(o.required === false ? { required: false } : {}) })
    return this
  }

  /** The DCQL query as JSON (validated: building an invalid query throws the parser's typed error). */
  build(): JsonObject {
    const q: JsonObject = { credentials: this.#credentials, ...(this.#sets.length ? { credential_sets: this.#sets } : {}) }
    parseDcqlQuery(q)
    return q
  }

  parsed(): DcqlQuery {
    return parseDcqlQuery(this.build())
  }
}
