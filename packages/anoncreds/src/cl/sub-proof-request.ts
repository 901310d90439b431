/**
 * What a verifier asks of one credential (clsignatures `SubProofRequest` / `Predicate` / `PredicateType`):
 * attributes to reveal and integer predicates over hidden attributes.
 *
 * Both sets are BTreeSets in clsignatures, so the order in which predicate proofs enter the challenge hash is
 * the derived `Ord` of `Predicate`: attr_name (UTF-8 bytes), then p_type in declaration order GE < LE < GT < LT,
 * then value. `subProofRequest` normalises to that order and removes duplicates.
 */
import { AnonCredsError } from '../errors.js'
import { compareAttrNames } from './types.js'

export type PredicateType = 'GE' | 'LE' | 'GT' | 'LT'

/** Declaration order of the Rust enum (what `Ord` compares). */
export const PREDICATE_TYPES: readonly PredicateType[] = ['GE', 'LE', 'GT', 'LT']

export interface Predicate {
  readonly attr_name: string
  readonly p_type: PredicateType
  /** An i32 in clsignatures. */
  readonly value: number
}

export interface SubProofRequest {
  readonly revealedAttrs: ReadonlySet<string>
  /** Sorted as the BTreeSet, without duplicates. */
  readonly predicates: readonly Predicate[]
}

const I32_MIN = -(2 ** 31)
const I32_MAX = 2 ** 31 - 1

export const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= I32_MIN && n <= I32_MAX

export function comparePredicates(a: Predicate, b: Predicate): number {
  return (
    compareAttrNames(a.attr_name, b.attr_name) ||
    PREDICATE_TYPES.indexOf(a.p_type) - PREDICATE_TYPES.indexOf(b.p_type) ||
    a.value - b.value
  )
}

function checkPredicate(p: Predicate): Predicate {
  if (!PREDICATE_TYPES.includes(p.p_type)) {
    throw new AnonCredsError('anoncreds.request_invalid', `Invalid predicate type: ${String(p.p_type)}`)
  }
  if (!isInt32(p.value)) throw new AnonCredsError('anoncreds.request_invalid', `Predicate value is not an i32: ${p.value}`)
  return { attr_name: p.attr_name, p_type: p.p_type, value: p.value }
}

/** SubProofRequestBuilder: revealed attribute names and predicates, normalised to BTreeSet order. */
export function subProofRequest(input: { revealedAttrs?: Iterable<string>; predicates?: Iterable<Predicate> }): SubProofRequest {
  const sorted = [...(input.predicates ?? [])].map(checkPredicate).sort(comparePredicates)
  const predicates = sorted.filter((p, i) => i === 0 || comparePredicates(sorted[i - 1]!, p) !== 0)
  return { revealedAttrs: new Set(input.revealedAttrs ?? []), predicates }
}

/** Revealed attribute names in BTreeSet order. */
export const sortedRevealedAttrs = (req: SubProofRequest): string[] => [...req.revealedAttrs].sort(compareAttrNames)

/** Predicate::get_delta: how far the attribute is inside the predicate (must be ≥ 0 to prove it). */
export function getDelta(p: Predicate, attrValue: number): number {
  switch (p.p_type) {
    case 'GE':
      return attrValue - p.value
    case 'GT':
      return attrValue - p.value - 1
    case 'LE':
      return p.value - attrValue
    case 'LT':
      return p.value - attrValue - 1
  }
}

/** Predicate::get_delta_prime: the bound Δ' the verifier uses in T̂_Δ. */
export function getDeltaPrime(p: Predicate): bigint {
  switch (p.p_type) {
    case 'GE':
    case 'LE':
      return BigInt(p.value)
    case 'GT':
      return BigInt(p.value) + 1n
    case 'LT':
      return BigInt(p.value) - 1n
  }
}

/** Predicate::is_less: LE and LT prove Δ' − m ≥ 0 (the commitment is inverted and r_Δ negated). */
export const isLess = (p: Predicate): boolean => p.p_type === 'LE' || p.p_type === 'LT'

export const predicatesEqual = (a: readonly Predicate[], b: readonly Predicate[]): boolean =>
  a.length === b.length && a.every((p, i) => comparePredicates(p, b[i]!) === 0)
