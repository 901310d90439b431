/**
 * Test-only issuance over the real issuance code, with a key of any size: safe primes from node:crypto, then
 * derivePrimaryPublicKey / newKeyCorrectnessProof, blindCredentialSecrets, signCredential and
 * processCredentialSignature. Small moduli keep the proof tests fast; the CL equations do not depend on |n|.
 */
import { generatePrime } from 'node:crypto'
import { blindCredentialSecrets } from '../src/cl/blinded-secrets.js'
import { newNonce } from '../src/cl/helpers.js'
import { type CredentialPrimaryKeys, derivePrimaryPublicKey, newKeyCorrectnessProof } from '../src/cl/issuer-keys.js'
import { processCredentialSignature } from '../src/cl/process.js'
import { signCredential } from '../src/cl/sign.js'
import {
  type CredentialSchema,
  type CredentialValue,
  type CredentialValues,
  compareAttrNames,
  credentialSchema,
  MASTER_SECRET,
  type PrimaryCredentialSignature,
} from '../src/cl/types.js'

const safePrime = (bits: number): Promise<bigint> =>
  new Promise((resolve, reject) =>
    generatePrime(bits, { safe: true, bigint: true }, (err, p) => (err ? reject(err) : resolve(p as bigint))),
  )

export interface TestIssuer {
  readonly keys: CredentialPrimaryKeys
  readonly schema: CredentialSchema
}

/** An issuer for `attrs` (+ master_secret) whose safe primes have `primeBits` bits. */
export async function testIssuer(attrs: readonly string[], primeBits: number): Promise<TestIssuer> {
  let [p, q] = await Promise.all([safePrime(primeBits), safePrime(primeBits)])
  while (p === q) q = await safePrime(primeBits)
  const privateKey = { p: p >> 1n, q: q >> 1n }
  const names = [...new Set([MASTER_SECRET, ...attrs])].sort(compareAttrNames)
  const { publicKey, meta } = derivePrimaryPublicKey(p * q, privateKey, names)
  const correctnessProof = newKeyCorrectnessProof(publicKey, privateKey, meta)
  return { keys: { publicKey, privateKey, correctnessProof }, schema: credentialSchema(attrs) }
}

export interface IssuedCredential {
  readonly signature: PrimaryCredentialSignature
  /** Known attribute values and the hidden link secret: what the prover proves over. */
  readonly values: CredentialValues
}

/** Runs offer → request (blinded link secret) → signature → processing. */
export function issue(issuer: TestIssuer, known: Record<string, bigint>, linkSecret: bigint): IssuedCredential {
  const { publicKey, privateKey, correctnessProof } = issuer.keys
  const hidden = new Map<string, CredentialValue>([[MASTER_SECRET, { kind: 'hidden', value: linkSecret }]])
  const offerNonce = newNonce()
  const request = blindCredentialSecrets(publicKey, correctnessProof, hidden, offerNonce)
  const issuanceNonce = newNonce()
  const values = new Map<string, CredentialValue>(Object.entries(known).map(([k, v]) => [k, { kind: 'known', value: v }]))
  const signed = signCredential({
    proverId: 'CnEDk9HrMnmiHXEV1WFgbVCRteYnPqsJwrTdcZaNhFVW',
    blinded: request.blinded,
    blindedProof: request.correctnessProof,
    credentialNonce: offerNonce,
    issuanceNonce,
    values,
    publicKey,
    privateKey,
  })
  const all = new Map([...values, ...hidden])
  const signature = processCredentialSignature(
    signed.signature,
    signed.correctnessProof,
    request.blindingFactors,
    publicKey,
    issuanceNonce,
    all,
  )
  return { signature, values: all }
}
