/**
 * Every size bound applied while parsing AnonCreds objects, in one table. Big integers arrive as decimal strings
 * and are bounded by their number of decimal digits BEFORE anything converts them to BigInt, so an attacker cannot
 * make us parse or multiply a multi-megabyte number. Bit sizes come from anoncreds-clsignatures-rs
 * `src/constants.rs` (sized for a 2048-bit modulus) with head-room for issuer keys of up to 4096 bits.
 */

/** Decimal digits needed for an unsigned integer of `bits` bits: ceil(bits · log10 2). */
export const digitsForBits = (bits: number): number => Math.ceil(bits * Math.log10(2))

/** Largest CL modulus we accept (RSA-style n; anoncreds-rs creates 2048-bit keys). */
export const MAX_MODULUS_BITS = 4096

/** Bit bounds per big-integer field class (see the table in the README comment above each use). */
export const BIGINT_BITS = {
  /** n, s, z, rctxt, r[*] of the public key; a (signature), a_prime, t[*] (ge proof), blinded u: all < n. */
  modulus: MAX_MODULUS_BITS,
  /** SHA-256 outputs: key correctness proof c, signature correctness proof c, aggregated c_hash, blinded proof c. */
  hash: 256,
  /** Signature prime e: 2^596 ≤ e ≤ 2^596 + 2^119 (LARGE_E_START, LARGE_E_END_RANGE); 1024 leaves room. */
  signatureE: 1024,
  /** p_credential m_2 (a 256-bit hash in anoncreds-rs); 1024 leaves room for other issuers. */
  signatureM2: 1024,
  /**
   * Schnorr responses and blinding values: v (2724 + 2128 bits), ṽ-based v̂ (3060 + …), xz_cap, xr_cap, m̂, m2,
   * ê, u, r, alpha (2787 + …), mj, v_dash_cap, m_caps, r_caps, se. All scale with the modulus; twice the largest
   * modulus is a generous bound that still refuses megabyte-sized numbers.
   */
  response: 2 * MAX_MODULUS_BITS,
  /**
   * Presentation responses, each the clsignatures size of an honest value (constants.rs: x̂ = x̃ + c·x with c < 2^256)
   * plus a few bits: an honest prover never comes near them and each bounds an exponent the verifier raises to.
   * m̂ (eq m, m1): m̃ < 2^592 (LARGE_MVECT) + c·m with m < 2^256, but the link secret's m̂ follows the link secret,
   * which we accept up to 1024 bits (`signatureM2`; anoncreds-rs' own w3c/proof.rs sub-proof has a 1022-bit one).
   */
  proofMHat: 1024 + 256 + 8,
  /** mj and û of a predicate proof: ũ, m̃ < 2^592, u_i < 2^16, m < 2^256 → < 2^593. */
  proofMjU: 600,
  /** m̂2: m̃2 < 2^2432 (LARGE_M2TILDE), m2 < 2^256 → < 2^2433. */
  proofM2Hat: 2440,
  /** ê: ẽ < 2^456 (LARGE_ETILDE), e' < 2^119 → < 2^457 (E_HAT_MAX_BITS is checked exactly by the verifier). */
  proofEHat: 464,
  /** v̂: ṽ < 2^3060 (LARGE_VTILDE), |v'| < 2^2726 → < 2^3061. */
  proofVHat: 3072,
  /** r̂ of a predicate proof: r̃ < 2^672 (LARGE_RTILDE), r_i < 2^2128 (LARGE_VPRIME) → < 2^2385. */
  proofRHat: 2392,
  /** α̂: α̃ < 2^2787 (LARGE_ALPHATILDE), |r_Δ − Σ u_i r_i| < 2^2147 → < 2^2788. */
  proofAlphaHat: 2796,
  /** Attribute encodings: a 32-bit integer or a SHA-256 digest (`encodeAttribute`). */
  encoded: 256,
  /** Nonces: LARGE_NONCE = 80 bits in anoncreds-clsignatures-rs. */
  nonce: 80,
} as const

/** Object-level limits. */
export const LIMITS = {
  /** JSON text given as a string (UTF-8 bytes). */
  maxJsonBytes: 1 << 20,
  /** JSON text of a revocation status list (one array element per credential slot). */
  maxRevocationStatusListJsonBytes: 4 << 20,
  /** Values (objects, arrays, primitives) in one object, counted before schema validation. */
  maxJsonNodes: 200_000,
  /** Nesting depth of one object (restriction queries included). */
  maxJsonDepth: 64,
  /** Schema attributes: anoncreds-rs MAX_ATTRIBUTES_COUNT (src/data_types/schema.rs). */
  maxAttributes: 125,
  /** r map of a public key and m map of an eq proof: the attributes plus master_secret. */
  maxKeyAttributes: 126,
  /** requested_attributes, requested_predicates and each requested_proof map. */
  maxReferents: 256,
  /** names[] of one requested attribute group. */
  maxNamesPerGroup: 125,
  /** Sub-proofs (credentials) in one presentation, and identifiers. */
  maxSubProofs: 64,
  /** ge_proofs per sub-proof (the verifier further requires exactly one per predicate the request assigns to it). */
  maxPredicatesPerSubProof: 125,
  /** u, r, t maps of a ge proof: "0".."3" and "DELTA" (ITERATION = 4). */
  maxGeProofMapEntries: 8,
  /** aggregated_proof.c_list: entries and bytes per entry (a 4096-bit a_prime is 512 bytes). */
  maxCListEntries: 4096,
  maxCListEntryBytes: 1024,
  /** Revocation status list length (credential slots). */
  maxRevocationListLength: 1 << 22,
  /** Restriction queries: nodes in total, values in one $in, names in one $exist. */
  maxQueryNodes: 1024,
  maxQueryValues: 256,
  /** Identifiers (DIDs, URIs, legacy ids). */
  maxIdentifierLength: 2048,
  /** Names, versions, tags, attribute names, referents. */
  maxNameLength: 1024,
  /** Raw attribute values and self-attested values. */
  maxRawValueLength: 65_536,
  /** entropy / prover_did of a credential request, tails location and hash. */
  maxStringLength: 4096,
} as const
