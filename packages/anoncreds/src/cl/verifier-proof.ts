/**
 * The verifier side of the primary CL presentation proof, ported from anoncreds-clsignatures-rs
 * `ProofVerifier` (with the non-revocation sub-proof of src/revocation when given a registry): recompute every
 * t-value from the responses and the challenge, hash them with the prover's commitments and the nonce, and compare
 * with c_H.
 *
 * Structural problems (a proof that does not match the request, unequal m̂ of a common attribute, a revealed
 * value other than the expected one) throw typed errors as clsignatures returns `ProofRejected`; a proof whose
 * challenge does not recompute yields `false`. Two checks go beyond clsignatures and never reject an honest
 * proof: ê must be below 2^(LARGE_ETILDE+1) (ẽ < 2^456 and c·e' < 2^(256+120)), and each predicate proof's
 * m̂_j must equal the equality proof's m̂ of the same attribute (otherwise the predicate would not be bound to
 * the credential's value).
 */
import { Buffer } from 'node:buffer'
import { AnonCredsError } from '../errors.js'
import { cListBytes, tauListBytes } from '../revocation/proof.js'
import type { CredentialRevocationPublicKey, RevocationKeyPublic, RevocationRegistry } from '../revocation/types.js'
import { verifyNonRevocationProof } from '../revocation/verify.js'
import { bitLength, mod, modPow } from './bn.js'
import { bnToBytes, challengeHashBytes } from './challenge.js'
import { ITERATION, LARGE_E_START_VALUE, LARGE_ETILDE } from './constants.js'
import { gcd, inverseOr } from './helpers.js'
import { calcTeq, calcTne, iterationKeys, mustGet, unrevealedAttrs } from './proof-helpers.js'
import type { PrimaryEqualProof, PrimaryPredicateInequalityProof, PrimaryProof, Proof, SubProof } from './proof-types.js'
import {
  comparePredicates,
  getDeltaPrime,
  isLess,
  predicatesEqual,
  type SubProofRequest,
  subProofRequest,
} from './sub-proof-request.js'
import type { BigIntMap, CredentialPrimaryPublicKey, CredentialSchema, NonCredentialSchema, Nonce } from './types.js'

/** An honest ê is below 2^E_HAT_MAX_BITS. */
export const E_HAT_MAX_BITS = LARGE_ETILDE + 1

const inverse = (x: bigint, n: bigint): bigint => inverseOr(x, n, 'anoncreds.proof_invalid')

/** _verify_equality: T̂ = calc_teq(A', ê, v̂, m̂, m̂2) · (Z / (A'^{2^596} Π_{revealed} R_i^{m_i}))^{-c} mod n */
export function verifyEquality(
  pk: CredentialPrimaryPublicKey,
  proof: PrimaryEqualProof,
  cHash: bigint,
  credentialSchema: CredentialSchema,
  nonCredentialSchema: NonCredentialSchema,
  subProofRequest: SubProofRequest,
): bigint {
  const unrevealed = unrevealedAttrs(credentialSchema, nonCredentialSchema, subProofRequest.revealedAttrs)
  const t1 = calcTeq(pk, proof.a_prime, proof.e, proof.v, proof.m, proof.m2, unrevealed)
  let rar = modPow(proof.a_prime, LARGE_E_START_VALUE, pk.n)
  for (const [attr, encoded] of proof.revealed_attrs) {
    rar = (modPow(mustGet(pk.r, attr, 'pk.r'), encoded, pk.n) * rar) % pk.n
  }
  const zOverRar = mod(pk.z * inverse(rar, pk.n), pk.n)
  const t2 = modPow(inverse(zOverRar, pk.n), cHash, pk.n)
  return (t1 * t2) % pk.n
}

/** _verify_ne_predicate: calc_tne with the responses, each value divided by its commitment to the power c. */
export function verifyNePredicate(
  pk: CredentialPrimaryPublicKey,
  proof: PrimaryPredicateInequalityProof,
  cHash: bigint,
): bigint[] {
  const n = pk.n
  const less = isLess(proof.predicate)
  const tau = calcTne(pk, proof.u, proof.r, proof.mj, proof.alpha, proof.t, less)
  const unC = (x: bigint): bigint => inverse(modPow(x, cHash, n), n)
  iterationKeys().forEach((k, i) => {
    tau[i] = (unC(mustGet(proof.t, k, 'proof.t')) * tau[i]!) % n
  })
  const delta = mustGet(proof.t, 'DELTA', 'proof.t')
  const deltaPrime = less ? inverse(delta, n) : delta
  const bound = (modPow(pk.z, getDeltaPrime(proof.predicate), n) * deltaPrime) % n
  tau[ITERATION] = (unC(bound) * tau[ITERATION]!) % n
  tau[ITERATION + 1] = (unC(delta) * tau[ITERATION + 1]!) % n
  return tau
}

/** _verify_primary_proof: [T̂_eq, τ̂ of each predicate proof]. */
export function verifyPrimaryProof(
  pk: CredentialPrimaryPublicKey,
  cHash: bigint,
  proof: PrimaryProof,
  credentialSchema: CredentialSchema,
  nonCredentialSchema: NonCredentialSchema,
  subProofRequest: SubProofRequest,
): bigint[] {
  const t = [verifyEquality(pk, proof.eq_proof, cHash, credentialSchema, nonCredentialSchema, subProofRequest)]
  for (const ne of proof.ge_proofs) t.push(...verifyNePredicate(pk, ne, cHash))
  return t
}

/**
 * The commitments the challenge must cover, in the prover's order (clsignatures `ProofBuilder::finalize`): per
 * sub-proof the non-revocation C list, then A′, then T_0..T_3, T_Δ of each predicate proof. The verifier builds it
 * from the values it uses; hashing the received `c_list` instead would let a prover choose A′ or the T values
 * after seeing the challenge (a predicate proof for a value that does not satisfy it).
 */
export function expectedCList(proof: Proof): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const sub of proof.proofs) {
    if (sub.non_revoc_proof) out.push(...cListBytes(sub.non_revoc_proof.c_list))
    out.push(bnToBytes(sub.primary_proof.eq_proof.a_prime))
    for (const ne of sub.primary_proof.ge_proofs)
      for (const k of [...iterationKeys(), 'DELTA']) out.push(bnToBytes(mustGet(ne.t, k, 'proof.t')))
  }
  return out
}

const sameBytes = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
  a.length === b.length && a.every((x, i) => Buffer.compare(x, b[i] as Uint8Array) === 0)

/**
 * m̂ is given for exactly the hidden attributes (the schema's and the link secret, minus the revealed ones), and
 * every predicate is on a hidden attribute: an m̂ for a revealed attribute would be bound to nothing, and a predicate
 * proof using it would prove nothing about the signed value.
 */
function hiddenExactly(p: PrimaryProof, cred: VerifiableCredential): boolean {
  const revealed = new Set(p.eq_proof.revealed_attrs.keys())
  const hidden = unrevealedAttrs(cred.credentialSchema, cred.nonCredentialSchema, revealed)
  const m = p.eq_proof.m
  if (m.size !== hidden.length || hidden.some((a) => !m.has(a))) return false
  return p.ge_proofs.every((ne) => !revealed.has(ne.predicate.attr_name))
}

/** 1 < A′ < n − 1 and gcd(A′, n) = 1: A′ = A·S^r is a unit other than ±1 (which would make T̂ independent of ê). */
export const aPrimeValid = (aPrime: bigint, n: bigint): boolean => aPrime > 1n && aPrime < n - 1n && gcd(aPrime, n) === 1n

/** ê within the range an honest prover produces (0 ≤ ê < 2^E_HAT_MAX_BITS). */
export const eHatInRange = (eq: PrimaryEqualProof): boolean => eq.e >= 0n && bitLength(eq.e) <= E_HAT_MAX_BITS

/** Every predicate proof uses the equality proof's m̂ of its attribute. */
export const predicatesBoundToEq = (p: PrimaryProof): boolean =>
  p.ge_proofs.every((ne) => p.eq_proof.m.get(ne.predicate.attr_name) === ne.mj)

interface VerifiableCredential {
  readonly pubKey: CredentialPrimaryPublicKey
  readonly subProofRequest: SubProofRequest
  readonly credentialSchema: CredentialSchema
  readonly nonCredentialSchema: NonCredentialSchema
  readonly expectedRevealed?: BigIntMap | undefined
  readonly revocation?: NonRevocationVerifyInput | undefined
}

/** The registry state a non-revocation sub-proof is checked against (clsignatures `r_key`, `rev_key_pub`, `rev_reg`). */
export interface NonRevocationVerifyInput {
  readonly publicKey: CredentialRevocationPublicKey
  readonly revKeyPublic: RevocationKeyPublic
  readonly registry: RevocationRegistry
}

function reject(message: string, details?: Record<string, unknown>): never {
  throw new AnonCredsError('anoncreds.proof_invalid', message, details ? { details } : undefined)
}

/** _check_verify_params_consistency: revealed attribute names and predicates are those requested. */
function checkSubProofShape(sub: SubProof, cred: VerifiableCredential): void {
  const revealed = [...sub.primary_proof.eq_proof.revealed_attrs.keys()]
  const requested = cred.subProofRequest.revealedAttrs
  if (revealed.length !== requested.size || revealed.some((a) => !requested.has(a))) {
    reject('Proof revealed attributes not correspond to requested attributes')
  }
  const proofPredicates = sub.primary_proof.ge_proofs.map((ne) => ne.predicate).sort(comparePredicates)
  if (!predicatesEqual(proofPredicates, cred.subProofRequest.predicates)) {
    reject('Proof predicates not correspond to requested predicates')
  }
}

/** The revealed encoded values are the expected ones (anoncreds-rs `verify_revealed_attribute_values`). */
function checkExpectedRevealed(sub: SubProof, expected: BigIntMap | undefined): void {
  for (const [attr, value] of expected ?? []) {
    if (sub.primary_proof.eq_proof.revealed_attrs.get(attr) !== value) {
      throw new AnonCredsError('anoncreds.encoding_mismatch', `Encoded value of '${attr}' differs from the proof`, {
        details: { attr_name: attr },
      })
    }
  }
}

/** m̂ of each common attribute is present in every sub-proof and the same in all of them. */
function checkCommonAttributes(proofs: readonly SubProof[], common: ReadonlySet<string>): void {
  for (const attr of common) {
    const values = proofs.map((p) => p.primary_proof.eq_proof.m.get(attr))
    if (values.some((v) => v === undefined)) reject(`Blinded value for common attribute '${attr}' not found in proof.m`)
    if (values.some((v) => v !== values[0])) {
      reject(`Blinded value for common attribute '${attr}' different across sub proofs`, { attr_name: attr })
    }
  }
}

/** clsignatures `ProofVerifier`: add sub-proof requests in the prover's order, then `verify(proof, nonce)`. */
export class ProofVerifier {
  readonly #credentials: VerifiableCredential[] = []
  readonly #commonAttributes = new Set<string>()

  constructor(opts: { commonAttributes?: Iterable<string> } = {}) {
    for (const a of opts.commonAttributes ?? []) this.addCommonAttribute(a)
  }

  addCommonAttribute(attrName: string): void {
    this.#commonAttributes.add(attrName)
  }

  /**
   * `expectedRevealed`: encoded values the revealed attributes must have (e.g. encodings of the raw values a
   * presentation claims); a difference throws `anoncreds.encoding_mismatch`.
   */
  addSubProofRequest(
    req: SubProofRequest,
    credentialSchema: CredentialSchema,
    nonCredentialSchema: NonCredentialSchema,
    credentialPubKey: CredentialPrimaryPublicKey,
    expectedRevealed?: BigIntMap,
    revocation?: NonRevocationVerifyInput,
  ): void {
    const attrs = new Set(credentialSchema.attrs)
    const asked = [...req.revealedAttrs, ...req.predicates.map((p) => p.attr_name)]
    const missing = asked.filter((a) => !attrs.has(a))
    if (missing.length) {
      throw new AnonCredsError('anoncreds.request_invalid', "Credential doesn't contain requested attribute", {
        details: { attrs: missing },
      })
    }
    const normalised = subProofRequest(req) // BTreeSet order, as the prover uses
    this.#credentials.push({
      pubKey: credentialPubKey,
      subProofRequest: normalised,
      credentialSchema,
      nonCredentialSchema,
      expectedRevealed,
      revocation,
    })
  }

  verify(proof: Proof, nonce: Nonce): boolean {
    if (proof.proofs.length !== this.#credentials.length) reject('Invalid proof length')
    proof.proofs.forEach((sub, i) => {
      checkSubProofShape(sub, this.#credentials[i]!)
      checkExpectedRevealed(sub, this.#credentials[i]!.expectedRevealed)
    })
    checkCommonAttributes(proof.proofs, this.#commonAttributes)
    // every check that needs no exponentiation, for all sub-proofs, before the first one
    for (const [i, sub] of proof.proofs.entries()) {
      const cred = this.#credentials[i]!
      const p = sub.primary_proof
      if (!eHatInRange(p.eq_proof) || !predicatesBoundToEq(p) || !hiddenExactly(p, cred)) return false
      if (!aPrimeValid(p.eq_proof.a_prime, cred.pubKey.n)) return false
      // clsignatures skips a non-revocation proof it has no registry for, and accepts a missing one; both are refused
      // here: the first cannot verify anyway (its c list is in the hash), the second would prove nothing about revocation
      const nr = sub.non_revoc_proof
      if ((nr === undefined) !== (cred.revocation === undefined)) {
        reject(nr ? 'Non-revocation proof without a revocation registry' : 'Non-revocation proof missing', { index: i })
      }
    }
    const cList = expectedCList(proof)
    if (!sameBytes(cList, proof.aggregated_proof.c_list)) return false
    // the pairings assume G2 points of order r; W, S, U come from the prover (the curve check alone admits others)
    for (const sub of proof.proofs) {
      const c = sub.non_revoc_proof?.c_list
      if (c && ![c.w, c.s, c.u].every((q) => q.inSubgroup())) return false
    }
    const c = proof.aggregated_proof.c_hash
    const tau: Uint8Array[] = []
    try {
      for (const [i, sub] of proof.proofs.entries()) {
        const cred = this.#credentials[i]!
        const p = sub.primary_proof
        const nr = sub.non_revoc_proof
        if (nr && cred.revocation) {
          const { publicKey, registry, revKeyPublic } = cred.revocation
          tau.push(...tauListBytes(verifyNonRevocationProof(publicKey, registry, revKeyPublic, c, p.eq_proof.m2, nr)))
        }
        const primary = verifyPrimaryProof(
          cred.pubKey,
          c,
          p,
          cred.credentialSchema,
          cred.nonCredentialSchema,
          cred.subProofRequest,
        )
        tau.push(...primary.map(bnToBytes))
      }
    } catch (e) {
      // a value without an inverse (e.g. from a credential definition whose n is not an RSA modulus) is a failed proof
      if (e instanceof RangeError) reject('a value of the proof or key is not invertible')
      throw e
    }
    return challengeHashBytes(tau, cList, nonce) === c
  }
}
