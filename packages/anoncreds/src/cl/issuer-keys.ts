/**
 * Issuer primary key generation and the key correctness proof, as anoncreds-clsignatures-rs
 * `Issuer::new_credential_def` / `_new_credential_primary_keys` / `_new_credential_key_correctness_proof`, and the
 * prover's check `Prover::_check_credential_key_correctness_proof`.
 */
import { AnonCredsError } from '../errors.js'
import { modPow } from './bn.js'
import { LARGE_PRIME } from './constants.js'
import {
  type ClRandom,
  defaultRandom,
  generatesSemiprimeSubgroup,
  genX,
  hashNumbers,
  inverseOr,
  pedersen,
  randomQr,
} from './helpers.js'
import { generateSafePrime } from './primes.js'
import {
  type CredentialKeyCorrectnessProof,
  type CredentialPrimaryPrivateKey,
  type CredentialPrimaryPublicKey,
  compareAttrNames,
  MASTER_SECRET,
} from './types.js'

export interface CredentialPrimaryKeys {
  readonly publicKey: CredentialPrimaryPublicKey
  readonly privateKey: CredentialPrimaryPrivateKey
  readonly correctnessProof: CredentialKeyCorrectnessProof
}

/** The secret exponents behind z and r_i (`CredentialPrimaryPublicKeyMetadata`). */
export interface CredentialPrimaryPublicKeyMetadata {
  readonly xz: bigint
  readonly xr: ReadonlyMap<string, bigint>
}

/**
 * Generates the issuer's primary keys for the schema attributes plus the link secret (`master_secret`), and the
 * key correctness proof. Safe-prime generation runs off the main thread; it takes a few seconds.
 */
export async function createCredentialPrimaryKeys(
  attrNames: readonly string[],
  nonSchemaAttrs: readonly string[] = [MASTER_SECRET],
): Promise<CredentialPrimaryKeys> {
  const names = keyAttributeNames(attrNames, nonSchemaAttrs)
  const [pSafe, qSafe] = await distinctSafePrimes(LARGE_PRIME)
  const privateKey: CredentialPrimaryPrivateKey = { p: pSafe >> 1n, q: qSafe >> 1n }
  const { publicKey, meta } = derivePrimaryPublicKey(pSafe * qSafe, privateKey, names)
  const correctnessProof = newKeyCorrectnessProof(publicKey, privateKey, meta)
  return { publicKey, privateKey, correctnessProof }
}

/** All names of r: schema attributes and non-schema ones, deduplicated, BTreeSet order. */
function keyAttributeNames(attrNames: readonly string[], nonSchemaAttrs: readonly string[]): string[] {
  if (attrNames.length === 0) throw new AnonCredsError('anoncreds.options_invalid', 'List of attributes is empty')
  for (const a of nonSchemaAttrs) {
    if (attrNames.includes(a)) throw new AnonCredsError('anoncreds.options_invalid', `attribute '${a}' is reserved`)
  }
  return [...new Set([...nonSchemaAttrs, ...attrNames])].sort(compareAttrNames)
}

async function distinctSafePrimes(size: number): Promise<[bigint, bigint]> {
  for (;;) {
    const [p, q] = await Promise.all([generateSafePrime(size), generateSafePrime(size)])
    if (p !== q) return [p, q]
  }
}

/** n, s, r_i = s^xr_i, z = s^xz, rctxt = s^x for a given modulus (the deterministic part of key generation). */
export function derivePrimaryPublicKey(
  n: bigint,
  { p, q }: CredentialPrimaryPrivateKey,
  names: readonly string[],
  random: ClRandom = defaultRandom,
): { publicKey: CredentialPrimaryPublicKey; meta: CredentialPrimaryPublicKeyMetadata } {
  let s: bigint
  do s = randomQr(n, random)
  while (!generatesSemiprimeSubgroup(s, p, q, n))
  const xz = genX(p, q, random)
  const xr = new Map(names.map((name) => [name, genX(p, q, random)] as const))
  const r = new Map([...xr].map(([name, x]) => [name, modPow(s, x, n)] as const))
  const z = modPow(s, xz, n)
  const rctxt = modPow(s, genX(p, q, random), n)
  return { publicKey: { n, s, r, rctxt, z }, meta: { xz, xr } }
}

/**
 * Fiat–Shamir proof that z and every r_i lie in ⟨s⟩. Hash input: z ‖ r_i… ‖ z~ ‖ r~_i… with the r's in the
 * order of `xr_cap` (here BTreeMap order), every number as minimal big-endian bytes.
 */
export function newKeyCorrectnessProof(
  pk: CredentialPrimaryPublicKey,
  { p, q }: CredentialPrimaryPrivateKey,
  meta: CredentialPrimaryPublicKeyMetadata,
  random: ClRandom = defaultRandom,
): CredentialKeyCorrectnessProof {
  const order = [...pk.r.keys()].sort(compareAttrNames)
  const xzTilde = genX(p, q, random)
  const xrTilde = new Map(order.map((name) => [name, genX(p, q, random)] as const))
  const zTilde = modPow(pk.s, xzTilde, pk.n)
  const rTildes = order.map((name) => modPow(pk.s, xrTilde.get(name)!, pk.n))
  const c = hashNumbers([pk.z, ...order.map((name) => pk.r.get(name)!), zTilde, ...rTildes])
  const xz_cap = c * meta.xz + xzTilde
  const xr_cap = order.map((name) => [name, c * secretExponent(meta, name) + xrTilde.get(name)!] as const)
  return { c, xz_cap, xr_cap }
}

function secretExponent(meta: CredentialPrimaryPublicKeyMetadata, name: string): bigint {
  const x = meta.xr.get(name)
  if (x === undefined) throw new AnonCredsError('anoncreds.key_invalid', `no secret exponent for '${name}'`)
  return x
}

/**
 * Checks the key correctness proof (`Prover::_check_credential_key_correctness_proof`). As in clsignatures, every
 * r key except `master_secret` (absent from proofs made by libindy before v0.4.1) must appear in `xr_cap`, and
 * every `xr_cap` name must be a key of r. Throws `anoncreds.key_correctness_invalid`.
 */
export function verifyKeyCorrectnessProof(pk: CredentialPrimaryPublicKey, proof: CredentialKeyCorrectnessProof): void {
  checkProofCoversKey(pk, proof)
  const code = 'anoncreds.key_correctness_invalid'
  const zCap = pedersen(inverseOr(pk.z, pk.n, code), proof.c, pk.s, proof.xz_cap, pk.n)
  const rValues = proof.xr_cap.map(([name]) => pk.r.get(name)!)
  const rCaps = proof.xr_cap.map(([, xrCap], i) => pedersen(inverseOr(rValues[i]!, pk.n, code), proof.c, pk.s, xrCap, pk.n))
  const c = hashNumbers([pk.z, ...rValues, zCap, ...rCaps])
  if (c !== proof.c) throw new AnonCredsError(code, 'Invalid Credential key correctness proof')
}

function checkProofCoversKey(pk: CredentialPrimaryPublicKey, proof: CredentialKeyCorrectnessProof): void {
  if (pk.n < 3n || pk.n % 2n === 0n) throw new AnonCredsError('anoncreds.key_correctness_invalid', 'modulus n is not odd')
  const proven = new Set(proof.xr_cap.map(([name]) => name))
  for (const name of pk.r.keys()) {
    if (!proven.has(name) && name !== MASTER_SECRET) {
      throw new AnonCredsError(
        'anoncreds.key_correctness_invalid',
        `Value by key '${name}' not found in key_correctness_proof.xr_cap`,
      )
    }
  }
  for (const name of proven) {
    if (!pk.r.has(name)) {
      throw new AnonCredsError(
        'anoncreds.key_correctness_invalid',
        `Public key doesn't contain item for ${name} key in key_correctness_proof.xr_cap`,
      )
    }
  }
}
