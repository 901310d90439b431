/**
 * Prover side of the credential request: blinding the hidden attributes (the link secret) into U and proving
 * knowledge of them (`Prover::blind_credential_secrets`), and the issuer's check of that proof
 * (`Issuer::_check_blinded_credential_secrets_correctness_proof`). Primary (non-revocation) part only.
 */
import { AnonCredsError } from '../errors.js'
import { modPow } from './bn.js'
import { LARGE_MTILDE, LARGE_VPRIME, LARGE_VPRIME_TILDE } from './constants.js'
import { type ClRandom, defaultRandom, hashNumbers, inverseOr, pedersen } from './helpers.js'
import { verifyKeyCorrectnessProof } from './issuer-keys.js'
import {
  type BigIntMap,
  type BlindedCredentialSecrets,
  type BlindedCredentialSecretsCorrectnessProof,
  type CredentialKeyCorrectnessProof,
  type CredentialPrimaryPublicKey,
  type CredentialSecretsBlindingFactors,
  type CredentialValues,
  type Nonce,
  sortedEntries,
} from './types.js'

export interface BlindedCredentialSecretsResult {
  readonly blinded: BlindedCredentialSecrets
  readonly blindingFactors: CredentialSecretsBlindingFactors
  readonly correctnessProof: BlindedCredentialSecretsCorrectnessProof
}

/** U, v' and the commitments before they are split into the public and the secret part. */
export interface PrimaryBlindedSecretsFactors {
  readonly u: bigint
  readonly v_prime: bigint
  readonly hidden_attributes: readonly string[]
  readonly committed_attributes: BigIntMap
}

/**
 * Checks the issuer's key correctness proof, then blinds the `hidden` values into U = S^v' · Π R_i^m_i and the
 * `commitment` values into S^blinding · Z^m, and proves knowledge of them bound to the offer's nonce.
 */
export function blindCredentialSecrets(
  publicKey: CredentialPrimaryPublicKey,
  keyCorrectnessProof: CredentialKeyCorrectnessProof,
  values: CredentialValues,
  nonce: Nonce,
  random: ClRandom = defaultRandom,
): BlindedCredentialSecretsResult {
  verifyKeyCorrectnessProof(publicKey, keyCorrectnessProof)
  const factors = blindPrimarySecrets(publicKey, values, random.bits(LARGE_VPRIME))
  const correctnessProof = newBlindedSecretsCorrectnessProof(publicKey, factors, nonce, values, random)
  const { u, hidden_attributes, committed_attributes } = factors
  return {
    blinded: { u, hidden_attributes, committed_attributes },
    blindingFactors: { v_prime: factors.v_prime },
    correctnessProof,
  }
}

/** `_generate_blinded_primary_credential_secrets_factors` with a given v'. */
export function blindPrimarySecrets(
  pk: CredentialPrimaryPublicKey,
  values: CredentialValues,
  vPrime: bigint,
): PrimaryBlindedSecretsFactors {
  const entries = sortedEntries(values)
  const hidden = entries.filter(([, v]) => v.kind === 'hidden')
  let u = modPow(pk.s, vPrime, pk.n)
  for (const [name, v] of hidden) u = (u * modPow(publicR(pk, name), v.value, pk.n)) % pk.n
  const committed = new Map<string, bigint>()
  for (const [name, v] of entries) {
    if (v.kind === 'commitment') committed.set(name, pedersen(pk.s, v.blinding_factor, pk.z, v.value, pk.n))
  }
  return { u, v_prime: vPrime, hidden_attributes: hidden.map(([name]) => name), committed_attributes: committed }
}

function publicR(pk: CredentialPrimaryPublicKey, name: string): bigint {
  const r = pk.r.get(name)
  if (r === undefined) throw new AnonCredsError('anoncreds.attribute_missing', `Value by key '${name}' not found in pk.r`)
  return r
}

/**
 * `_new_blinded_credential_secrets_correctness_proof`. Hash input (BTreeMap order of the values):
 * for each commitment (commitment~ ‖ commitment), then U ‖ U~ ‖ nonce.
 */
export function newBlindedSecretsCorrectnessProof(
  pk: CredentialPrimaryPublicKey,
  factors: PrimaryBlindedSecretsFactors,
  nonce: Nonce,
  values: CredentialValues,
  random: ClRandom = defaultRandom,
): BlindedCredentialSecretsCorrectnessProof {
  const vDashTilde = random.bits(LARGE_VPRIME_TILDE)
  const mTildes = new Map<string, bigint>()
  const rTildes = new Map<string, bigint>()
  const hashed: bigint[] = []
  let uTilde = modPow(pk.s, vDashTilde, pk.n)
  for (const [name, v] of sortedEntries(values)) {
    if (v.kind === 'known') continue
    const mTilde = random.bits(LARGE_MTILDE)
    const r = publicR(pk, name)
    if (v.kind === 'hidden') uTilde = (uTilde * modPow(r, mTilde, pk.n)) % pk.n
    else {
      const rTilde = random.bits(LARGE_MTILDE)
      rTildes.set(name, rTilde)
      hashed.push(pedersen(pk.z, mTilde, pk.s, rTilde, pk.n), committedValue(factors, name))
    }
    mTildes.set(name, mTilde)
  }
  const c = hashNumbers([...hashed, factors.u, uTilde, nonce])
  return { c, v_dash_cap: c * factors.v_prime + vDashTilde, ...responses(c, mTildes, rTildes, values) }
}

function committedValue(factors: PrimaryBlindedSecretsFactors, name: string): bigint {
  const value = factors.committed_attributes.get(name)
  if (value === undefined) throw new AnonCredsError('anoncreds.attribute_missing', `no commitment for '${name}'`)
  return value
}

function responses(
  c: bigint,
  mTildes: ReadonlyMap<string, bigint>,
  rTildes: ReadonlyMap<string, bigint>,
  values: CredentialValues,
): { m_caps: BigIntMap; r_caps: BigIntMap } {
  const m_caps = new Map<string, bigint>()
  const r_caps = new Map<string, bigint>()
  for (const [name, mTilde] of mTildes) {
    const v = values.get(name)!
    m_caps.set(name, mTilde + c * v.value)
    if (v.kind === 'commitment') r_caps.set(name, rTildes.get(name)! + c * v.blinding_factor)
  }
  return { m_caps, r_caps }
}

/**
 * Issuer-side check of the prover's proof of knowledge of the blinded secrets, bound to the issuer's offer nonce.
 * Throws `anoncreds.blinded_secret_proof_invalid`.
 */
export function verifyBlindedCredentialSecretsCorrectnessProof(
  blinded: BlindedCredentialSecrets,
  proof: BlindedCredentialSecretsCorrectnessProof,
  nonce: Nonce,
  pk: CredentialPrimaryPublicKey,
): void {
  const code = 'anoncreds.blinded_secret_proof_invalid'
  let uCap = (modPow(inverseOr(blinded.u, pk.n, code), proof.c, pk.n) * modPow(pk.s, proof.v_dash_cap, pk.n)) % pk.n
  for (const name of new Set(blinded.hidden_attributes)) {
    uCap = (uCap * modPow(publicR(pk, name), proofValue(proof.m_caps, name), pk.n)) % pk.n
  }
  const hashed: bigint[] = []
  for (const [name, value] of sortedEntries(blinded.committed_attributes)) {
    const commitment = pedersen(pk.z, proofValue(proof.m_caps, name), pk.s, proofValue(proof.r_caps, name), pk.n)
    hashed.push((modPow(inverseOr(value, pk.n, code), proof.c, pk.n) * commitment) % pk.n, value)
  }
  const c = hashNumbers([...hashed, blinded.u, uCap, nonce])
  if (c !== proof.c) throw new AnonCredsError(code, 'Invalid BlindedCredentialSecrets correctness proof')
}

function proofValue(map: BigIntMap, name: string): bigint {
  const v = map.get(name)
  if (v === undefined)
    throw new AnonCredsError('anoncreds.blinded_secret_proof_invalid', `no response for '${name}' in the proof`)
  return v
}
