/**
 * Evaluating a presentation request's restriction query against the credential a referent was answered with
 * (AnonCreds v1 §Create Presentation Request "Restrictions", §Verify Presentation; anoncreds-rs verifier.rs
 * `process_operator` / `process_filter`). Semantics follow anoncreds-rs:
 *
 * - `$and` all, `$or` any, `$not` negates, `$in` any value, `$neq` negates equality; `$gt`, `$gte`, `$lt`, `$lte`,
 *   `$like` and `$exist` are unsupported and never hold (so `$not` of them holds);
 * - `schema_id`, `schema_name`, `schema_version`, `schema_issuer_did`/`schema_issuer_id`, `cred_def_id`,
 *   `issuer_did`/`issuer_id` compare with the schema and credential definition the verifier resolved for the
 *   identifier; the legacy `*_did` tags hold only when the issuer id is a legacy (unqualified) DID;
 * - `attr::<name>::value` holds when the attribute is one of this referent's (or, for a predicate, the same
 *   credential's revealed) attributes and is either unrevealed or revealed with exactly that raw value; a value
 *   restriction on an attribute outside that set never holds. Value restrictions on unrevealed attributes cannot be
 *   checked by a verifier and hold, as in anoncreds-rs;
 * - unknown tags never hold.
 *
 * Two deliberate differences: `attr::<name>::marker` holds when the credential's schema has the attribute
 * (anoncreds-rs compares a revealed value with the marker value, rejecting any revealed attribute whose raw value
 * is not "1"), and `rev_reg_id` compares with the identifier's revocation registry (anoncreds-rs has no such
 * filter field and always fails it). Attribute names compare in `attrCommonView` form.
 */
import { attrCommonView } from '../attribute-names.js'
import { LEGACY_DID_IDENTIFIER } from '../objects/identifiers.js'
import { parseRestrictionTag, type RestrictionQuery } from '../objects/restrictions.js'

/** What the restriction fields compare with (anoncreds-rs `Filter`, plus rev_reg_id and the schema's attributes). */
export interface RestrictionFilter {
  readonly schema_id: string
  readonly schema_issuer_id: string
  readonly schema_name: string
  readonly schema_version: string
  readonly issuer_id: string
  readonly cred_def_id: string
  readonly rev_reg_id: string | null
  /** The schema's attribute names in attrCommonView form. */
  readonly attributes: ReadonlySet<string>
}

/** attrCommonView(name) → revealed raw value, or undefined when the attribute is requested but not revealed. */
export type AttributeValueMap = ReadonlyMap<string, string | undefined>

const FIELD_OF = {
  schema_id: 'schema_id',
  schema_issuer_did: 'schema_issuer_id',
  schema_issuer_id: 'schema_issuer_id',
  schema_name: 'schema_name',
  schema_version: 'schema_version',
  issuer_did: 'issuer_id',
  issuer_id: 'issuer_id',
  cred_def_id: 'cred_def_id',
} as const

function filterHolds(tag: string, value: string, attrs: AttributeValueMap, filter: RestrictionFilter): boolean {
  const t = parseRestrictionTag(tag)
  if (t.kind === 'attribute') {
    const name = attrCommonView(t.name)
    if (t.type === 'marker') return filter.attributes.has(name)
    if (!attrs.has(name)) return false
    const revealed = attrs.get(name)
    return revealed === undefined || revealed === value
  }
  if (t.kind === 'unknown') return false
  if (t.name === 'rev_reg_id') return filter.rev_reg_id === value
  const actual = filter[FIELD_OF[t.name]]
  if ((t.name === 'issuer_did' || t.name === 'schema_issuer_did') && !LEGACY_DID_IDENTIFIER.test(actual)) return false
  return actual === value
}

/** Whether the restriction query holds for one credential (anoncreds-rs `process_operator` returning Ok). */
export function restrictionHolds(q: RestrictionQuery, attrs: AttributeValueMap, filter: RestrictionFilter): boolean {
  switch (q.op) {
    case 'eq':
      return filterHolds(q.tag, q.value, attrs, filter)
    case 'neq':
      return !filterHolds(q.tag, q.value, attrs, filter)
    case 'in':
      return q.values.some((v) => filterHolds(q.tag, v, attrs, filter))
    case 'and':
      return q.queries.every((s) => restrictionHolds(s, attrs, filter))
    case 'or':
      return q.queries.some((s) => restrictionHolds(s, attrs, filter))
    case 'not':
      return !restrictionHolds(q.query, attrs, filter)
    default:
      return false
  }
}

/** No restriction at all: absent, or an empty `$and` / `$or` (anoncreds-rs `is_self_attested`). */
export function isUnrestricted(q: RestrictionQuery | undefined): boolean {
  return q === undefined || ((q.op === 'and' || q.op === 'or') && q.queries.length === 0)
}
