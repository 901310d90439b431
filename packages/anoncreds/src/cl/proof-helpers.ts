/**
 * The t-value formulas shared by prover and verifier (clsignatures `helpers::calc_teq`, `calc_tne`,
 * ), and the set of unrevealed attributes of a sub-proof.
 */
import { AnonCredsError } from '../errors.js'
import { modPow } from './bn.js'
import { ITERATION } from './constants.js'
import { pedersen } from './helpers.js'
import {
  type BigIntMap,
  type CredentialPrimaryPublicKey,
  type CredentialSchema,
  compareAttrNames,
  type NonCredentialSchema,
} from './types.js'

/** (credential ∪ non-credential attributes) − revealed, sorted. */
export function unrevealedAttrs(
  credentialSchema: CredentialSchema,
  nonCredentialSchema: NonCredentialSchema,
  revealed: ReadonlySet<string>,
): string[] {
  const all = new Set([...credentialSchema.attrs, ...nonCredentialSchema.attrs])
  return [...all].filter((a) => !revealed.has(a)).sort(compareAttrNames)
}

export function mustGet(map: BigIntMap, key: string, what: string): bigint {
  const v = map.get(key)
  if (v === undefined) throw new AnonCredsError('anoncreds.proof_invalid', `Value by key '${key}' not found in ${what}`)
  return v
}

/** calc_teq: A'^e · Π_{unrevealed} R_i^{m_i} · S^v · Rctxt^{m2} mod n */
export function calcTeq(
  pk: CredentialPrimaryPublicKey,
  aPrime: bigint,
  e: bigint,
  v: bigint,
  m: BigIntMap,
  m2: bigint,
  unrevealed: readonly string[],
): bigint {
  let result = modPow(aPrime, e, pk.n)
  for (const k of unrevealed) {
    result = (modPow(mustGet(pk.r, k, 'pk.r'), mustGet(m, k, 'm_tilde'), pk.n) * result) % pk.n
  }
  result = (modPow(pk.s, v, pk.n) * result) % pk.n
  return (modPow(pk.rctxt, m2, pk.n) * result) % pk.n
}

export const iterationKeys = (): string[] => Array.from({ length: ITERATION }, (_, i) => String(i))

/**
 * calc_tne: [Z^{u_i} S^{r_i} (i < 4), Z^{mj} S^{±r_Δ}, Π T_i^{u_i} · S^α] mod n. For LE/LT (`isLess`) r_Δ is
 * negated (a negative exponent inverts S, as BigNumber::mod_exp does).
 */
export function calcTne(
  pk: CredentialPrimaryPublicKey,
  u: BigIntMap,
  r: BigIntMap,
  mj: bigint,
  alpha: bigint,
  t: BigIntMap,
  isLess: boolean,
): bigint[] {
  const keys = iterationKeys()
  const tau = keys.map((i) => pedersen(pk.z, mustGet(u, i, 'u'), pk.s, mustGet(r, i, 'r'), pk.n))
  const rDelta = mustGet(r, 'DELTA', 'r')
  // BigNumber::set_negative(true) makes the magnitude negative, whatever the sign was
  tau.push(pedersen(pk.z, mj, pk.s, isLess ? -(rDelta < 0n ? -rDelta : rDelta) : rDelta, pk.n))
  let q = 1n
  for (const i of keys) q = (modPow(mustGet(t, i, 't'), mustGet(u, i, 'u'), pk.n) * q) % pk.n
  tau.push((modPow(pk.s, alpha, pk.n) * q) % pk.n)
  return tau
}
