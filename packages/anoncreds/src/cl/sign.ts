/**
 * Issuing a primary CL signature over known attribute values and the prover's blinded secrets, with the
 * signature correctness proof: anoncreds-clsignatures-rs `Issuer::sign_credential`, `_new_primary_credential`,
 * `_sign_primary_credential` and `_new_signature_correctness_proof`.
 */
import { AnonCredsError } from '../errors.js'
import { verifyBlindedCredentialSecretsCorrectnessProof } from './blinded-secrets.js'
import { mod, modInverse, modPow } from './bn.js'
import { LARGE_E_END_RANGE, LARGE_E_START, LARGE_VPRIME_PRIME, LARGE_VPRIME_PRIME_VALUE } from './constants.js'
import { type ClRandom, credentialContext, defaultRandom, hashNumbers, modDiv } from './helpers.js'
import { generatePrimeInRange } from './primes.js'
import {
  type BlindedCredentialSecrets,
  type BlindedCredentialSecretsCorrectnessProof,
  type CredentialPrimaryPrivateKey,
  type CredentialPrimaryPublicKey,
  type CredentialValues,
  type Nonce,
  type PrimaryCredentialSignature,
  type SignatureCorrectnessProof,
  sortedEntries,
} from './types.js'

export interface SignCredentialArgs {
  /** The prover id or the request's `entropy`: hashed into the credential context m2. */
  readonly proverId: string
  readonly blinded: BlindedCredentialSecrets
  readonly blindedProof: BlindedCredentialSecretsCorrectnessProof
  /** Nonce of the credential offer, the one the blinded-secrets proof is bound to. */
  readonly credentialNonce: Nonce
  /** Nonce of the credential request, the one the signature correctness proof is bound to. */
  readonly issuanceNonce: Nonce
  readonly values: CredentialValues
  readonly publicKey: CredentialPrimaryPublicKey
  readonly privateKey: CredentialPrimaryPrivateKey
  /** The registry index of a revocable credential: it enters the credential context m2 (`sign_credential_with_revoc`). */
  readonly revIdx?: number | undefined
}

export interface SignedCredential {
  readonly signature: PrimaryCredentialSignature
  readonly correctnessProof: SignatureCorrectnessProof
}

/** Verifies the blinded-secrets proof, signs (A, e, v'', m2) and proves the signature correct. */
export function signCredential(args: SignCredentialArgs, random: ClRandom = defaultRandom): SignedCredential {
  const { blinded, publicKey, privateKey } = args
  verifyBlindedCredentialSecretsCorrectnessProof(blinded, args.blindedProof, args.credentialNonce, publicKey)
  checkSignableValues(publicKey, blinded, args.values)
  const m_2 = credentialContext(args.proverId, args.revIdx)
  const v = generateVPrimePrime(random)
  const e = generatePrimeInRange(LARGE_E_START, LARGE_E_END_RANGE, random)
  const { a, q } = signPrimaryCredential(publicKey, privateKey, m_2, args.values, v, blinded, e)
  const signature = { m_2, a, e, v }
  const r = random.below(privateKey.p * privateKey.q)
  return { signature, correctnessProof: newSignatureCorrectnessProof(publicKey, privateKey, signature, q, args.issuanceNonce, r) }
}

/** v'' = a random LARGE_VPRIME_PRIME-bit number with the top bit set (`generate_v_prime_prime`). */
export function generateVPrimePrime(random: ClRandom = defaultRandom): bigint {
  return random.bits(LARGE_VPRIME_PRIME) | LARGE_VPRIME_PRIME_VALUE
}

/** Every key attribute is either a value or blinded, and no blinded attribute is also given in clear. */
function checkSignableValues(pk: CredentialPrimaryPublicKey, blinded: BlindedCredentialSecrets, values: CredentialValues): void {
  const hidden = new Set(blinded.hidden_attributes)
  for (const name of pk.r.keys()) {
    if (!values.has(name) && !hidden.has(name)) {
      throw new AnonCredsError('anoncreds.attribute_missing', `Credential attribute '${name}' value not provided`)
    }
  }
  for (const name of hidden) {
    if (values.has(name)) {
      throw new AnonCredsError(
        'anoncreds.request_invalid',
        `Blinded credential secret '${name}' also contained in credential attributes`,
      )
    }
  }
}

/**
 * Q = Z / (S^v'' · U · Rctxt^m2 · Π_known R_i^m_i) and A = Q^(e^-1 mod p'q') (`_sign_primary_credential`).
 * Only `known` values are signed here; hidden ones are in U.
 */
export function signPrimaryCredential(
  pk: CredentialPrimaryPublicKey,
  sk: CredentialPrimaryPrivateKey,
  m2: bigint,
  values: CredentialValues,
  v: bigint,
  blinded: Pick<BlindedCredentialSecrets, 'u'>,
  e: bigint,
): { a: bigint; q: bigint } {
  let rx = modPow(pk.s, v, pk.n)
  if (blinded.u !== 0n) rx = (rx * blinded.u) % pk.n
  rx = (rx * modPow(pk.rctxt, m2, pk.n)) % pk.n
  for (const [name, value] of sortedEntries(values)) {
    if (value.kind !== 'known') continue
    const r = pk.r.get(name)
    if (r === undefined) throw new AnonCredsError('anoncreds.attribute_missing', `Value by key '${name}' not found in public key`)
    rx = (modPow(r, value.value, pk.n) * rx) % pk.n
  }
  const q = modDiv(pk.z, rx, pk.n, 'anoncreds.request_invalid')
  const a = modPow(q, invertE(e, sk), pk.n)
  return { a, q }
}

function invertE(e: bigint, { p, q }: CredentialPrimaryPrivateKey): bigint {
  try {
    return modInverse(e, p * q)
  } catch (cause) {
    throw new AnonCredsError('anoncreds.key_invalid', "e is not invertible modulo p'q'", { cause })
  }
}

/**
 * `_new_signature_correctness_proof` with the random r ∈ [0, p'q'): Â = Q^r, c = H(Q ‖ A ‖ Â ‖ nonce),
 * se = r − c·e^-1 mod p'q'.
 */
export function newSignatureCorrectnessProof(
  pk: CredentialPrimaryPublicKey,
  sk: CredentialPrimaryPrivateKey,
  signature: PrimaryCredentialSignature,
  q: bigint,
  nonce: Nonce,
  r: bigint,
): SignatureCorrectnessProof {
  const order = sk.p * sk.q
  const aCap = modPow(q, r, pk.n)
  const c = hashNumbers([q, signature.a, aCap, nonce])
  const se = mod(r - ((c * invertE(signature.e, sk)) % order), order)
  return { se, c }
}
