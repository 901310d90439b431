/**
 * Mapping between the parsed AnonCreds JSON objects (src/objects) and the CL types (src/cl), as anoncreds-rs
 * `src/services/helpers.rs` and the serde derives of anoncreds-clsignatures-rs `src/types.rs` do it: decimal
 * strings ⇄ bigint, JSON objects ⇄ Maps, `xr_cap` as [name, value] pairs, `c_list` as arrays of byte values, and
 * the legacy members `rms` (→ r.master_secret) and `m1` (→ m.master_secret) merged as clsignatures' deserializers
 * merge them. Output objects list members in the order anoncreds-rs serializes them; maps that are BTreeMaps in
 * Rust are emitted in BTreeMap order (HashMaps, e.g. the public key's `r`, have no defined order in Rust; we sort).
 */
import { attrCommonView } from '../attribute-names.js'
import type { Proof as ClProof, PrimaryEqualProof, PrimaryPredicateInequalityProof, SubProof } from '../cl/proof-types.js'
import type { PredicateType as ClPredicateType, Predicate } from '../cl/sub-proof-request.js'
import {
  type BigIntMap,
  type BlindedCredentialSecrets,
  type BlindedCredentialSecretsCorrectnessProof,
  type CredentialKeyCorrectnessProof,
  type CredentialPrimaryPublicKey,
  type CredentialSchema,
  type CredentialValue,
  type CredentialValues,
  credentialSchema,
  MASTER_SECRET,
  type PrimaryCredentialSignature,
  type SignatureCorrectnessProof,
  sortedEntries,
} from '../cl/types.js'
import { AnonCredsError } from '../errors.js'
import type { AttributeValues } from '../objects/credential.js'
import type { KeyCorrectnessProof } from '../objects/credential-definition.js'
import type { PredicateType } from '../objects/presentation-request.js'
import type { Schema } from '../objects/schema.js'
import { decimalToBigInt } from '../objects/wire.js'
import { type NonRevocProofJson, nonRevocProofJson, nonRevocProofOf } from './wire-revocation.js'

type Dec = string
type DecRecord = Record<string, Dec>

/** A parsed decimal string (already bounded by the object's zod schema) as a bigint. */
export const bigOf = (s: Dec): bigint => decimalToBigInt(s)

export function bigMapOf(record: Readonly<Record<string, Dec>>): Map<string, bigint> {
  return new Map(Object.entries(record).map(([k, v]) => [k, decimalToBigInt(v)]))
}

/** A BigIntMap as a JSON object in BTreeMap order (numeric-looking keys are ordered by JavaScript first). */
export function decRecordOf(map: BigIntMap): DecRecord {
  const out: DecRecord = {}
  for (const [k, v] of sortedEntries(map)) out[k] = v.toString()
  return out
}

// ---- credential definition -------------------------------------------------------------------------------

/** The `primary` member of a credential definition, parsed. */
export interface PrimaryPublicKeyJson {
  readonly n: Dec
  readonly s: Dec
  readonly r: Readonly<Record<string, Dec>>
  readonly rctxt: Dec
  readonly z: Dec
  readonly rms?: Dec | undefined
}

/** `CredentialPrimaryPublicKey` deserialization: a non-zero legacy `rms` becomes r.master_secret (overriding). */
export function primaryPublicKeyOf(json: PrimaryPublicKeyJson): CredentialPrimaryPublicKey {
  const r = bigMapOf(json.r)
  if (json.rms !== undefined && json.rms !== '0') r.set(MASTER_SECRET, decimalToBigInt(json.rms))
  return { n: bigOf(json.n), s: bigOf(json.s), r, rctxt: bigOf(json.rctxt), z: bigOf(json.z) }
}

export function primaryPublicKeyJson(pk: CredentialPrimaryPublicKey): {
  n: Dec
  s: Dec
  r: DecRecord
  rctxt: Dec
  z: Dec
} {
  return { n: pk.n.toString(), s: pk.s.toString(), r: decRecordOf(pk.r), rctxt: pk.rctxt.toString(), z: pk.z.toString() }
}

export function keyCorrectnessProofOf(json: KeyCorrectnessProof): CredentialKeyCorrectnessProof {
  return { c: bigOf(json.c), xz_cap: bigOf(json.xz_cap), xr_cap: json.xr_cap.map(([name, v]) => [name, bigOf(v)] as const) }
}

export function keyCorrectnessProofJson(p: CredentialKeyCorrectnessProof): KeyCorrectnessProof {
  return { c: p.c.toString(), xz_cap: p.xz_cap.toString(), xr_cap: p.xr_cap.map(([name, v]) => [name, v.toString()]) }
}

// ---- credential request -----------------------------------------------------------------------------------

export interface BlindedSecretsJson {
  u: Dec
  ur: string | null
  hidden_attributes: string[]
  committed_attributes: DecRecord
}

export function blindedSecretsOf(json: {
  u: Dec
  ur?: string | null | undefined
  hidden_attributes: readonly string[]
  committed_attributes: Readonly<Record<string, Dec>>
}): BlindedCredentialSecrets {
  return {
    u: bigOf(json.u),
    ur: json.ur ?? undefined,
    hidden_attributes: credentialSchema(json.hidden_attributes).attrs,
    committed_attributes: bigMapOf(json.committed_attributes),
  }
}

export function blindedSecretsJson(b: BlindedCredentialSecrets): BlindedSecretsJson {
  return {
    u: b.u.toString(),
    ur: b.ur ?? null,
    hidden_attributes: [...b.hidden_attributes],
    committed_attributes: decRecordOf(b.committed_attributes),
  }
}

export interface BlindedProofJson {
  c: Dec
  v_dash_cap: Dec
  m_caps: DecRecord
  r_caps: DecRecord
}

export function blindedProofOf(json: BlindedProofJson): BlindedCredentialSecretsCorrectnessProof {
  return { c: bigOf(json.c), v_dash_cap: bigOf(json.v_dash_cap), m_caps: bigMapOf(json.m_caps), r_caps: bigMapOf(json.r_caps) }
}

export function blindedProofJson(p: BlindedCredentialSecretsCorrectnessProof): BlindedProofJson {
  return { c: p.c.toString(), v_dash_cap: p.v_dash_cap.toString(), m_caps: decRecordOf(p.m_caps), r_caps: decRecordOf(p.r_caps) }
}

// ---- credential -------------------------------------------------------------------------------------------

export interface PrimarySignatureJson {
  m_2: Dec
  a: Dec
  e: Dec
  v: Dec
}

export function primarySignatureOf(json: PrimarySignatureJson): PrimaryCredentialSignature {
  return { m_2: bigOf(json.m_2), a: bigOf(json.a), e: bigOf(json.e), v: bigOf(json.v) }
}

export function primarySignatureJson(s: PrimaryCredentialSignature): PrimarySignatureJson {
  return { m_2: s.m_2.toString(), a: s.a.toString(), e: s.e.toString(), v: s.v.toString() }
}

export function signatureCorrectnessProofOf(json: { se: Dec; c: Dec }): SignatureCorrectnessProof {
  return { se: bigOf(json.se), c: bigOf(json.c) }
}

export function signatureCorrectnessProofJson(p: SignatureCorrectnessProof): { se: Dec; c: Dec } {
  return { se: p.se.toString(), c: p.c.toString() }
}

/**
 * The CL credential schema of an AnonCreds schema, as `build_credential_schema`: every attribute name in
 * `attrCommonView` form (spaces removed, lowercased), deduplicated and sorted.
 */
export function clCredentialSchemaOf(schema: Pick<Schema, 'attrNames'>): CredentialSchema {
  return credentialSchema(schema.attrNames.map(attrCommonView))
}

/**
 * The CL values of a credential, as `build_credential_values`: each encoded value as a known value under its
 * `attrCommonView` name, and the link secret (when given) hidden as `master_secret`.
 */
export function clCredentialValuesOf(
  values: Readonly<Record<string, Pick<AttributeValues, 'encoded'>>>,
  linkSecret?: bigint,
): CredentialValues {
  const out = new Map<string, CredentialValue>()
  for (const [name, v] of Object.entries(values)) {
    const key = attrCommonView(name)
    if (out.has(key)) {
      throw new AnonCredsError('anoncreds.attribute_unexpected', 'two credential values have the same attribute name', {
        details: { attr_name: key },
      })
    }
    out.set(key, { kind: 'known', value: decimalToBigInt(v.encoded) })
  }
  if (linkSecret !== undefined) out.set(MASTER_SECRET, { kind: 'hidden', value: linkSecret })
  return out
}

// ---- presentation -----------------------------------------------------------------------------------------

const P_TYPES: Record<PredicateType, ClPredicateType> = { '>=': 'GE', '<=': 'LE', '>': 'GT', '<': 'LT' }

/** A requested predicate as the CL predicate anoncreds-rs builds (`build_sub_proof_request`). */
export function clPredicateOf(p: { name: string; p_type: PredicateType; p_value: number }): Predicate {
  return { attr_name: attrCommonView(p.name), p_type: P_TYPES[p.p_type], value: p.p_value }
}

/** Parsed JSON of one `SubProof` (see src/objects/presentation.ts). */
export interface SubProofJson {
  primary_proof: {
    eq_proof: {
      revealed_attrs: Record<string, Dec>
      a_prime: Dec
      e: Dec
      v: Dec
      m: Record<string, Dec>
      m1?: Dec | undefined
      m2: Dec
    }
    ge_proofs: Array<{
      u: Record<string, Dec>
      r: Record<string, Dec>
      mj: Dec
      alpha: Dec
      t: Record<string, Dec>
      predicate: { attr_name: string; p_type: ClPredicateType; value: number }
    }>
  }
  non_revoc_proof?: Parameters<typeof nonRevocProofOf>[0] | null | undefined
}

export interface ProofJson {
  proofs: SubProofJson[]
  aggregated_proof: { c_hash: Dec; c_list: number[][] }
}

/** `PrimaryEqualProof` deserialization: a non-zero legacy `m1` becomes m.master_secret (overriding). */
function eqProofOf(json: SubProofJson['primary_proof']['eq_proof']): PrimaryEqualProof {
  const m = bigMapOf(json.m)
  if (json.m1 !== undefined && json.m1 !== '0') m.set(MASTER_SECRET, decimalToBigInt(json.m1))
  return {
    revealed_attrs: bigMapOf(json.revealed_attrs),
    a_prime: bigOf(json.a_prime),
    e: bigOf(json.e),
    v: bigOf(json.v),
    m,
    m2: bigOf(json.m2),
  }
}

function geProofOf(json: SubProofJson['primary_proof']['ge_proofs'][number]): PrimaryPredicateInequalityProof {
  const { attr_name, p_type, value } = json.predicate
  return {
    u: bigMapOf(json.u),
    r: bigMapOf(json.r),
    mj: bigOf(json.mj),
    alpha: bigOf(json.alpha),
    t: bigMapOf(json.t),
    predicate: { attr_name, p_type, value },
  }
}

/** A presentation's proof, with each sub-proof's `non_revoc_proof` when present. */
export function clProofOf(json: ProofJson): ClProof {
  const proofs: SubProof[] = json.proofs.map((p) => ({
    primary_proof: { eq_proof: eqProofOf(p.primary_proof.eq_proof), ge_proofs: p.primary_proof.ge_proofs.map(geProofOf) },
    ...(p.non_revoc_proof != null ? { non_revoc_proof: nonRevocProofOf(p.non_revoc_proof) } : {}),
  }))
  return {
    proofs,
    aggregated_proof: {
      c_hash: bigOf(json.aggregated_proof.c_hash),
      c_list: json.aggregated_proof.c_list.map((bytes) => Uint8Array.from(bytes)),
    },
  }
}

function subProofJson(p: SubProof): SubProofJson & { non_revoc_proof: NonRevocProofJson | null } {
  const eq = p.primary_proof.eq_proof
  return {
    primary_proof: {
      eq_proof: {
        revealed_attrs: decRecordOf(eq.revealed_attrs),
        a_prime: eq.a_prime.toString(),
        e: eq.e.toString(),
        v: eq.v.toString(),
        m: decRecordOf(eq.m),
        m2: eq.m2.toString(),
      },
      ge_proofs: p.primary_proof.ge_proofs.map((ge) => ({
        u: decRecordOf(ge.u),
        r: decRecordOf(ge.r),
        mj: ge.mj.toString(),
        alpha: ge.alpha.toString(),
        t: decRecordOf(ge.t),
        predicate: { attr_name: ge.predicate.attr_name, p_type: ge.predicate.p_type, value: ge.predicate.value },
      })),
    },
    non_revoc_proof: p.non_revoc_proof ? nonRevocProofJson(p.non_revoc_proof) : null,
  }
}

/** A CL proof as anoncreds-rs serializes it: `c_list` entries as arrays of byte values. */
export function proofJson(proof: ClProof): ProofJson {
  return {
    proofs: proof.proofs.map(subProofJson),
    aggregated_proof: {
      c_hash: proof.aggregated_proof.c_hash.toString(),
      c_list: proof.aggregated_proof.c_list.map((b) => Array.from(b)),
    },
  }
}
