/**
 * The prover side of the CL presentation proof, ported from anoncreds-clsignatures-rs `ProofBuilder`
 * (non-revocation sub-proofs from src/revocation, when given): per credential an equality proof (knowledge of a
 * signature (A, e, v) over all attributes, revealing some) and one inequality proof per predicate; one Fiat–Shamir
 * challenge over all of them.
 * Attributes added with `addCommonAttribute` (the link secret) share one m̃ across sub-proofs, so their m̂
 * are equal and tie the credentials to one holder.
 */
import { AnonCredsError } from '../errors.js'
import { cListBytes, finalizeNonRevocationProof, initNonRevocationProof, tauListBytes } from '../revocation/proof.js'
import type {
  CredentialRevocationPublicKey,
  NonRevocationCredentialSignature,
  NonRevocInitProof,
  RevocationRegistry,
  Witness,
} from '../revocation/types.js'
import { modPow } from './bn.js'
import { bnToBytes, challengeHashBytes } from './challenge.js'
import {
  LARGE_ALPHATILDE,
  LARGE_E_START_VALUE,
  LARGE_ETILDE,
  LARGE_M2TILDE,
  LARGE_MVECT,
  LARGE_RTILDE,
  LARGE_UTILDE,
  LARGE_VPRIME,
  LARGE_VTILDE,
} from './constants.js'
import { fourSquares } from './four-squares.js'
import { type ClRandom, defaultRandom, pedersen } from './helpers.js'
import { calcTeq, calcTne, iterationKeys, mustGet, unrevealedAttrs } from './proof-helpers.js'
import type {
  PrimaryEqualInitProof,
  PrimaryEqualProof,
  PrimaryInitProof,
  PrimaryPredicateInequalityInitProof,
  PrimaryPredicateInequalityProof,
  PrimaryProof,
  Proof,
} from './proof-types.js'
import {
  getDelta,
  isInt32,
  isLess,
  subProofRequest as normaliseSubProofRequest,
  type Predicate,
  type SubProofRequest,
  sortedRevealedAttrs,
} from './sub-proof-request.js'
import type {
  BigIntMap,
  CredentialPrimaryPublicKey,
  CredentialSchema,
  CredentialValues,
  NonCredentialSchema,
  Nonce,
  PrimaryCredentialSignature,
} from './types.js'

/** The credential a sub-proof is about, and what to prove of it. */
export interface ProofCredential {
  readonly subProofRequest: SubProofRequest
  readonly credentialSchema: CredentialSchema
  readonly nonCredentialSchema: NonCredentialSchema
  readonly credentialValues: CredentialValues
}

/** _init_eq_proof: randomise A, commit to e, v and the unrevealed m's. */
export function initEqProof(
  commonMTilde: BigIntMap,
  pk: CredentialPrimaryPublicKey,
  sig: PrimaryCredentialSignature,
  cred: Omit<ProofCredential, 'credentialValues'>,
  m2Tilde: bigint,
  random: ClRandom = defaultRandom,
): PrimaryEqualInitProof {
  const r = random.bits(LARGE_VPRIME)
  const eTilde = random.bits(LARGE_ETILDE)
  const vTilde = random.bits(LARGE_VTILDE)
  const unrevealed = unrevealedAttrs(cred.credentialSchema, cred.nonCredentialSchema, cred.subProofRequest.revealedAttrs)
  const mTilde = new Map(commonMTilde)
  for (const attr of unrevealed) if (!mTilde.has(attr)) mTilde.set(attr, random.bits(LARGE_MVECT))
  const aPrime = (modPow(pk.s, r, pk.n) * sig.a) % pk.n
  return {
    a_prime: aPrime,
    t: calcTeq(pk, aPrime, eTilde, vTilde, mTilde, m2Tilde, unrevealed),
    e_tilde: eTilde,
    e_prime: sig.e - LARGE_E_START_VALUE,
    v_tilde: vTilde,
    v_prime: sig.v - sig.e * r,
    m_tilde: mTilde,
    m2_tilde: m2Tilde,
    m2: sig.m_2,
  }
}

/** The attribute value a predicate is about, as the i32 clsignatures parses it from its decimal form. */
function predicateAttrValue(values: CredentialValues, p: Predicate): number {
  const v = values.get(p.attr_name)
  if (!v) throw new AnonCredsError('anoncreds.attribute_missing', `Value by key '${p.attr_name}' not found in cred_values`)
  const n = Number(v.value)
  if (!isInt32(n) || BigInt(n) !== v.value) {
    throw new AnonCredsError('anoncreds.predicate_unsatisfied', `Value by key '${p.attr_name}' is not a 32-bit integer`, {
      details: { attr_name: p.attr_name },
    })
  }
  return n
}

/** _init_ne_proof: commit to the four-square decomposition of Δ and to Δ itself. */
export function initNeProof(
  pk: CredentialPrimaryPublicKey,
  mTilde: BigIntMap,
  values: CredentialValues,
  predicate: Predicate,
  random: ClRandom = defaultRandom,
): PrimaryPredicateInequalityInitProof {
  const delta = getDelta(predicate, predicateAttrValue(values, predicate))
  if (delta < 0) {
    throw new AnonCredsError('anoncreds.predicate_unsatisfied', 'Predicate is not satisfied', {
      details: { attr_name: predicate.attr_name, p_type: predicate.p_type, value: predicate.value },
    })
  }
  const squares = fourSquares(delta)
  const u = new Map(iterationKeys().map((k, i) => [k, squares[i]!]))
  const r = new Map<string, bigint>()
  const t = new Map<string, bigint>()
  for (const k of iterationKeys()) {
    r.set(k, random.bits(LARGE_VPRIME))
    t.set(k, pedersen(pk.z, u.get(k)!, pk.s, r.get(k)!, pk.n))
  }
  r.set('DELTA', random.bits(LARGE_VPRIME))
  t.set('DELTA', pedersen(pk.z, BigInt(delta), pk.s, r.get('DELTA')!, pk.n))
  const uTilde = new Map<string, bigint>()
  const rTilde = new Map<string, bigint>()
  for (const k of iterationKeys()) {
    uTilde.set(k, random.bits(LARGE_UTILDE))
    rTilde.set(k, random.bits(LARGE_RTILDE))
  }
  rTilde.set('DELTA', random.bits(LARGE_RTILDE))
  const alphaTilde = random.bits(LARGE_ALPHATILDE)
  const mj = mTilde.get(predicate.attr_name)
  if (mj === undefined) {
    throw new AnonCredsError('anoncreds.request_invalid', `Predicate attribute '${predicate.attr_name}' is not hidden`)
  }
  return {
    c_list: [...t.values()],
    tau_list: calcTne(pk, uTilde, rTilde, mj, alphaTilde, t, isLess(predicate)),
    u,
    u_tilde: uTilde,
    r,
    r_tilde: rTilde,
    alpha_tilde: alphaTilde,
    predicate,
    t,
  }
}

/** _init_primary_proof: the equality proof, then one inequality proof per predicate (BTreeSet order). */
export function initPrimaryProof(
  commonMTilde: BigIntMap,
  pk: CredentialPrimaryPublicKey,
  sig: PrimaryCredentialSignature,
  cred: ProofCredential,
  m2Tilde: bigint,
  random: ClRandom = defaultRandom,
): PrimaryInitProof {
  const eq = initEqProof(commonMTilde, pk, sig, cred, m2Tilde, random)
  const ne = cred.subProofRequest.predicates.map((p) => initNeProof(pk, eq.m_tilde, cred.credentialValues, p, random))
  return { eq_proof: eq, ne_proofs: ne }
}

/** PrimaryInitProof::as_c_list: A', then T_0..T_3, T_Δ of each predicate. */
export const initProofCList = (p: PrimaryInitProof): Uint8Array[] =>
  [p.eq_proof.a_prime, ...p.ne_proofs.flatMap((ne) => ne.c_list)].map(bnToBytes)

/** PrimaryInitProof::as_tau_list: T, then τ_0..τ_3, τ_Δ, Q of each predicate. */
export const initProofTauList = (p: PrimaryInitProof): bigint[] => [p.eq_proof.t, ...p.ne_proofs.flatMap((ne) => ne.tau_list)]

/** _finalize_eq_proof: ê = ẽ + c·e', v̂ = ṽ + c·v', m̂_i = m̃_i + c·m_i, m̂2 = m̃2 + c·m2. */
export function finalizeEqProof(init: PrimaryEqualInitProof, c: bigint, cred: ProofCredential): PrimaryEqualProof {
  const req = cred.subProofRequest
  const m = new Map<string, bigint>()
  for (const k of unrevealedAttrs(cred.credentialSchema, cred.nonCredentialSchema, req.revealedAttrs)) {
    m.set(k, c * credentialValue(cred.credentialValues, k) + mustGet(init.m_tilde, k, 'init_proof.mtilde'))
  }
  const revealed = new Map<string, bigint>()
  for (const k of sortedRevealedAttrs(req)) revealed.set(k, credentialValue(cred.credentialValues, k))
  return {
    revealed_attrs: revealed,
    a_prime: init.a_prime,
    e: c * init.e_prime + init.e_tilde,
    v: c * init.v_prime + init.v_tilde,
    m,
    m2: c * init.m2 + init.m2_tilde,
  }
}

function credentialValue(values: CredentialValues, k: string): bigint {
  const v = values.get(k)
  if (!v) throw new AnonCredsError('anoncreds.attribute_missing', `Value by key '${k}' not found in attributes_values`)
  return v.value
}

/** _finalize_ne_proof: û_i = ũ_i + c·u_i, r̂_i = r̃_i + c·r_i, α̂ = α̃ + c·(r_Δ − Σ u_i r_i). */
export function finalizeNeProof(
  c: bigint,
  init: PrimaryPredicateInequalityInitProof,
  eq: PrimaryEqualProof,
): PrimaryPredicateInequalityProof {
  const u = new Map<string, bigint>()
  const r = new Map<string, bigint>()
  let urProduct = 0n
  for (const k of iterationKeys()) {
    const [uk, rk] = [mustGet(init.u, k, 'u'), mustGet(init.r, k, 'r')]
    u.set(k, c * uk + mustGet(init.u_tilde, k, 'u_tilde'))
    r.set(k, c * rk + mustGet(init.r_tilde, k, 'r_tilde'))
    urProduct += uk * rk
  }
  const rDelta = mustGet(init.r, 'DELTA', 'r')
  r.set('DELTA', c * rDelta + mustGet(init.r_tilde, 'DELTA', 'r_tilde'))
  return {
    u,
    r,
    mj: mustGet(eq.m, init.predicate.attr_name, 'eq_proof.m'),
    alpha: (rDelta - urProduct) * c + init.alpha_tilde,
    t: init.t,
    predicate: init.predicate,
  }
}

export function finalizePrimaryProof(init: PrimaryInitProof, c: bigint, cred: ProofCredential): PrimaryProof {
  const eq = finalizeEqProof(init.eq_proof, c, cred)
  return { eq_proof: eq, ge_proofs: init.ne_proofs.map((ne) => finalizeNeProof(c, ne, eq)) }
}

/** _check_add_sub_proof_request_params_consistency */
export function checkProofCredential(cred: ProofCredential): void {
  const schemaAttrs = new Set([...cred.credentialSchema.attrs, ...cred.nonCredentialSchema.attrs])
  const credAttrs = new Set(cred.credentialValues.keys())
  if (schemaAttrs.size !== credAttrs.size || [...schemaAttrs].some((a) => !credAttrs.has(a))) {
    throw new AnonCredsError('anoncreds.schema_mismatch', "Credential doesn't correspond to credential schema")
  }
  const req = cred.subProofRequest
  const missing = [...req.revealedAttrs, ...req.predicates.map((p) => p.attr_name)].filter((a) => !credAttrs.has(a))
  if (missing.length) {
    throw new AnonCredsError('anoncreds.attribute_missing', "Credential doesn't contain requested attribute", {
      details: { attrs: missing },
    })
  }
  if (req.predicates.some((p) => req.revealedAttrs.has(p.attr_name))) {
    throw new AnonCredsError(
      'anoncreds.request_invalid',
      "ProofRequest can't contain an attribute as a revealed value and as a predicate at the same time",
    )
  }
}

interface InitProof {
  readonly primary: PrimaryInitProof
  readonly nonRevoc: NonRevocInitProof | undefined
  readonly cred: ProofCredential
}

/** What a non-revocation sub-proof needs (clsignatures `r_credential`, `r_key`, `rev_reg`, `witness`). */
export interface NonRevocationProofInput {
  readonly credential: NonRevocationCredentialSignature
  readonly publicKey: CredentialRevocationPublicKey
  readonly registry: RevocationRegistry
  readonly witness: Witness
}

/** clsignatures `ProofBuilder`: add sub-proofs in the order the verifier will add them, then `finalize(nonce)`. */
export class ProofBuilder {
  readonly #random: ClRandom
  readonly #commonAttributes = new Map<string, bigint>()
  readonly #initProofs: InitProof[] = []
  readonly #cList: Uint8Array[] = []
  readonly #tauList: Uint8Array[] = []

  constructor(opts: { commonAttributes?: Iterable<string>; random?: ClRandom } = {}) {
    this.#random = opts.random ?? defaultRandom
    for (const a of opts.commonAttributes ?? []) this.addCommonAttribute(a)
  }

  /** One m̃ for this attribute across all sub-proofs (as `add_common_attribute`). */
  addCommonAttribute(attrName: string): void {
    this.#commonAttributes.set(attrName, this.#random.bits(LARGE_MVECT))
  }

  addSubProofRequest(
    subProofRequest: SubProofRequest,
    credentialSchema: CredentialSchema,
    nonCredentialSchema: NonCredentialSchema,
    credentialSignature: PrimaryCredentialSignature,
    credentialValues: CredentialValues,
    credentialPubKey: CredentialPrimaryPublicKey,
    nonRevocation?: NonRevocationProofInput,
  ): void {
    // BTreeSet order of the predicates: the order their commitments enter the challenge
    const req = normaliseSubProofRequest(subProofRequest)
    const cred: ProofCredential = { subProofRequest: req, credentialSchema, nonCredentialSchema, credentialValues }
    checkProofCredential(cred)
    const m2Tilde = this.#random.bits(LARGE_M2TILDE)
    // the non-revocation commitments enter the challenge before the primary proof's (add_sub_proof_request)
    let nonRevoc: NonRevocInitProof | undefined
    if (nonRevocation) {
      const { credential, registry, publicKey, witness } = nonRevocation
      nonRevoc = initNonRevocationProof(credential, registry, publicKey, witness, m2Tilde)
      this.#cList.push(...cListBytes(nonRevoc.c_list))
      this.#tauList.push(...tauListBytes(nonRevoc.tau_list))
    }
    const primary = initPrimaryProof(this.#commonAttributes, credentialPubKey, credentialSignature, cred, m2Tilde, this.#random)
    this.#cList.push(...initProofCList(primary))
    this.#tauList.push(...initProofTauList(primary).map(bnToBytes))
    this.#initProofs.push({ primary, nonRevoc, cred })
  }

  finalize(nonce: Nonce): Proof {
    const c = challengeHashBytes(this.#tauList, this.#cList, nonce)
    return {
      proofs: this.#initProofs.map(({ primary, nonRevoc, cred }) => ({
        primary_proof: finalizePrimaryProof(primary, c, cred),
        ...(nonRevoc ? { non_revoc_proof: finalizeNonRevocationProof(nonRevoc, c) } : {}),
      })),
      aggregated_proof: { c_hash: c, c_list: [...this.#cList] },
    }
  }
}
