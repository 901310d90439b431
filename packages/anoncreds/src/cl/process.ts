/**
 * Prover side of issuance: completing the issuer's signature with the blinding factor v' and checking it and its
 * correctness proof (`Prover::process_credential_signature`, `_process_primary_credential`,
 * `_check_signature_correctness_proof`).
 */
import { AnonCredsError } from '../errors.js'
import { modPow } from './bn.js'
import { hashNumbers, modDiv } from './helpers.js'
import { isProbablePrime } from './primes.js'
import type {
  CredentialPrimaryPublicKey,
  CredentialSecretsBlindingFactors,
  CredentialValues,
  Nonce,
  PrimaryCredentialSignature,
  SignatureCorrectnessProof,
} from './types.js'
import { sortedEntries } from './types.js'

/**
 * Returns the prover's final signature (v = v' + v'') after checking that it signs `values` (known and hidden,
 * e.g. the link secret) under `publicKey` and that the issuer's correctness proof, bound to the request `nonce`,
 * holds. Throws `anoncreds.signature_invalid` / `anoncreds.signature_correctness_invalid` /
 * `anoncreds.attribute_missing`.
 */
export function processCredentialSignature(
  signature: PrimaryCredentialSignature,
  correctnessProof: SignatureCorrectnessProof,
  blindingFactors: CredentialSecretsBlindingFactors,
  publicKey: CredentialPrimaryPublicKey,
  nonce: Nonce,
  values: CredentialValues,
): PrimaryCredentialSignature {
  const processed = { ...signature, v: blindingFactors.v_prime + signature.v }
  checkSignatureCorrectnessProof(processed, values, correctnessProof, publicKey, nonce)
  return processed
}

/** `_check_signature_correctness_proof` on an already processed signature (full v). */
export function checkSignatureCorrectnessProof(
  signature: PrimaryCredentialSignature,
  values: CredentialValues,
  proof: SignatureCorrectnessProof,
  pk: CredentialPrimaryPublicKey,
  nonce: Nonce,
): void {
  if (!isProbablePrime(signature.e)) throw new AnonCredsError('anoncreds.signature_correctness_invalid', 'e is not prime')
  const q = signedQ(signature, values, pk)
  if (q !== modPow(signature.a, signature.e, pk.n)) {
    throw new AnonCredsError('anoncreds.signature_invalid', "Invalid Signature correctness proof q != q'")
  }
  const aCap = modPow(signature.a, proof.c + proof.se * signature.e, pk.n)
  const c = hashNumbers([q, signature.a, aCap, nonce])
  if (c !== proof.c)
    throw new AnonCredsError('anoncreds.signature_correctness_invalid', "Invalid Signature correctness proof c != c'")
}

/**
 * Throws unless Z ≡ A^e · S^v · Rctxt^m2 · Π R_i^m_i (mod n) over the known and hidden values: the CL
 * signature equation, for a processed signature.
 */
export function verifyPrimarySignature(
  signature: PrimaryCredentialSignature,
  values: CredentialValues,
  pk: CredentialPrimaryPublicKey,
): void {
  if (signedQ(signature, values, pk) !== modPow(signature.a, signature.e, pk.n)) {
    throw new AnonCredsError('anoncreds.signature_invalid', 'Z != A^e · S^v · Rctxt^m2 · Π R_i^m_i')
  }
}

/** Q = Z / (S^v · Rctxt^m2 · Π R_i^m_i) over the known and hidden values; every key attribute must have a value. */
function signedQ(signature: PrimaryCredentialSignature, values: CredentialValues, pk: CredentialPrimaryPublicKey): bigint {
  for (const name of pk.r.keys()) {
    if (!values.has(name))
      throw new AnonCredsError('anoncreds.attribute_missing', `Credential attribute '${name}' value not provided`)
  }
  let rx = (modPow(pk.s, signature.v, pk.n) * modPow(pk.rctxt, signature.m_2, pk.n)) % pk.n
  for (const [name, value] of sortedEntries(values)) {
    if (value.kind === 'commitment') continue
    const r = pk.r.get(name)
    if (r === undefined) throw new AnonCredsError('anoncreds.attribute_missing', `Value by key '${name}' not found in public key`)
    rx = (rx * modPow(r, value.value, pk.n)) % pk.n
  }
  return modDiv(pk.z, rx, pk.n, 'anoncreds.signature_invalid')
}
