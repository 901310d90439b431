/**
 * CL-signature data types for the primary (non-revocation) part of AnonCreds v1, mirroring
 * anoncreds-clsignatures-rs `src/types.rs` field by field (snake_case) so that JSON mapping is 1:1
 * (every bigint is a decimal string in JSON).
 *
 * Maps: clsignatures uses `BTreeMap`/`BTreeSet` (sorted by the UTF-8 bytes of the key) for most maps and a
 * `HashMap` for `CredentialPrimaryPublicKey.r`. Here all of them are `ReadonlyMap`s; whenever the order matters
 * (hashing, iteration that clsignatures does over a BTreeMap) the code sorts with `compareAttrNames`.
 */
import { Buffer } from 'node:buffer'

/** Attribute name → value map (a `Map` so names such as `__proto__` or `"1"` are safe and order is explicit). */
export type BigIntMap = ReadonlyMap<string, bigint>

/** Issuer's primary public key (`CredentialPrimaryPublicKey`). `r` includes `master_secret` (the link secret). */
export interface CredentialPrimaryPublicKey {
  readonly n: bigint
  readonly s: bigint
  readonly r: BigIntMap
  readonly rctxt: bigint
  readonly z: bigint
}

/**
 * Issuer's primary private key (`CredentialPrimaryPrivateKey`). As in clsignatures, `p` and `q` are the
 * Sophie Germain halves p' and q' of the safe primes P = 2p' + 1, Q = 2q' + 1 (n = P·Q); the group order
 * used for signing is p'·q'.
 */
export interface CredentialPrimaryPrivateKey {
  readonly p: bigint
  readonly q: bigint
}

/** Proof that z and every r_i are in ⟨s⟩ (`CredentialKeyCorrectnessProof`). `xr_cap` is an ordered list of pairs. */
export interface CredentialKeyCorrectnessProof {
  readonly c: bigint
  readonly xz_cap: bigint
  readonly xr_cap: ReadonlyArray<readonly [string, bigint]>
}

/** Primary CL signature (`PrimaryCredentialSignature`). */
export interface PrimaryCredentialSignature {
  readonly m_2: bigint
  readonly a: bigint
  readonly e: bigint
  readonly v: bigint
}

/** Issuer's proof that the signature was built correctly (`SignatureCorrectnessProof`). */
export interface SignatureCorrectnessProof {
  readonly se: bigint
  readonly c: bigint
}

/** One attribute value (`CredentialValue`): known to the issuer, hidden in U, or a separate commitment. */
export type CredentialValue =
  | { readonly kind: 'known'; readonly value: bigint }
  | { readonly kind: 'hidden'; readonly value: bigint }
  | { readonly kind: 'commitment'; readonly value: bigint; readonly blinding_factor: bigint }

/** Attribute name → value (`CredentialValues`, a BTreeMap in clsignatures: iterate with `sortedEntries`). */
export type CredentialValues = ReadonlyMap<string, CredentialValue>

/** What the prover sends to the issuer (`BlindedCredentialSecrets`). `ur` (revocation, a G1 point) is opaque here. */
export interface BlindedCredentialSecrets {
  readonly u: bigint
  readonly ur?: string | undefined
  /** BTreeSet in clsignatures: kept sorted by `compareAttrNames`. */
  readonly hidden_attributes: readonly string[]
  readonly committed_attributes: BigIntMap
}

/** Proof of knowledge of the values blinded in U (`BlindedCredentialSecretsCorrectnessProof`). */
export interface BlindedCredentialSecretsCorrectnessProof {
  readonly c: bigint
  readonly v_dash_cap: bigint
  readonly m_caps: BigIntMap
  readonly r_caps: BigIntMap
}

/** Prover-side secret blinding factors (`CredentialSecretsBlindingFactors`). `vr_prime` (revocation) is opaque. */
export interface CredentialSecretsBlindingFactors {
  readonly v_prime: bigint
  readonly vr_prime?: string | undefined
}

/** An 80-bit nonce (`Nonce` = BigNumber, `LARGE_NONCE` bits). */
export type Nonce = bigint

/** Attribute names of a credential (`CredentialSchema`, a BTreeSet: sorted, unique). */
export interface CredentialSchema {
  readonly attrs: readonly string[]
}

/** Attributes that are not in the schema but are signed, i.e. the link secret (`NonCredentialSchema`). */
export interface NonCredentialSchema {
  readonly attrs: readonly string[]
}

export const MASTER_SECRET = 'master_secret'

/**
 * Order of Rust `String` in a BTreeMap/BTreeSet: lexicographic over UTF-8 bytes. (JS `<` compares UTF-16 code
 * units, which differs for characters beyond U+FFFF vs U+E000–U+FFFF.)
 */
export function compareAttrNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** Entries of a map in BTreeMap order. */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  return [...map.entries()].sort(([a], [b]) => compareAttrNames(a, b))
}

/** A `CredentialSchema` from attribute names (deduplicated and sorted, as the BTreeSet builder does). */
export function credentialSchema(attrs: Iterable<string>): CredentialSchema {
  return { attrs: [...new Set(attrs)].sort(compareAttrNames) }
}

/** The `NonCredentialSchema` AnonCreds uses: only the link secret. */
export function nonCredentialSchema(attrs: Iterable<string> = [MASTER_SECRET]): NonCredentialSchema {
  return { attrs: [...new Set(attrs)].sort(compareAttrNames) }
}
