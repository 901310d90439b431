/**
 * Mapping between the revocation members of the parsed AnonCreds JSON objects and the revocation types of
 * src/revocation, as the serde derives of anoncreds-clsignatures-rs `src/types.rs` write them: every point and
 * group order element as its AMCL hex string, member names in snake_case (`g_dash`, `h_cap`, `vr_prime_prime`,
 * `witness_signature`, `x_list`, `c_list`). Points are checked here (on the curve, not infinity) as clsignatures'
 * `from_string` does, except the accumulator and the witness, which may be infinity (`PointG2Inf`).
 */
import type { z } from 'zod'
import type { zNonRevocProof } from '../objects/presentation.js'
import { GroupOrderElement, Pair, PointG1, PointG2 } from '../pairing/groups.js'
import type {
  CredentialRevocationPrivateKey,
  CredentialRevocationPublicKey,
  NonRevocationCredentialSignature,
  NonRevocProof,
  RevocationKeyPrivate,
  RevocationKeyPublic,
  RevocationRegistry,
  Witness,
} from '../revocation/types.js'

type Hex = string
const g1 = (s: Hex): PointG1 => PointG1.fromString(s)
const g2 = (s: Hex): PointG2 => PointG2.fromString(s)
const goe = (s: Hex): GroupOrderElement => GroupOrderElement.fromString(s)

const KEY_MEMBERS = ['g', 'g_dash', 'h', 'h0', 'h1', 'h2', 'htilde', 'h_cap', 'u', 'pk', 'y'] as const
type KeyJson = { readonly [K in (typeof KEY_MEMBERS)[number]]: Hex }

/** `CredentialRevocationPublicKey` (a credential definition's `value.revocation`). */
export function credentialRevocationPublicKeyOf(json: KeyJson): CredentialRevocationPublicKey {
  return {
    g: g1(json.g),
    g_dash: g2(json.g_dash),
    h: g1(json.h),
    h0: g1(json.h0),
    h1: g1(json.h1),
    h2: g1(json.h2),
    htilde: g1(json.htilde),
    h_cap: g2(json.h_cap),
    u: g2(json.u),
    pk: g1(json.pk),
    y: g2(json.y),
  }
}

export function credentialRevocationPublicKeyJson(pk: CredentialRevocationPublicKey): Record<keyof KeyJson, Hex> {
  return Object.fromEntries(KEY_MEMBERS.map((k) => [k, pk[k].toString()])) as Record<keyof KeyJson, Hex>
}

/** `CredentialRevocationPrivateKey` { x, sk } (a credential definition private's `r_key`). */
export const credentialRevocationPrivateKeyOf = (json: { x: Hex; sk: Hex }): CredentialRevocationPrivateKey => ({
  x: goe(json.x),
  sk: goe(json.sk),
})

export const credentialRevocationPrivateKeyJson = (k: CredentialRevocationPrivateKey): { x: Hex; sk: Hex } => ({
  x: k.x.toString(),
  sk: k.sk.toString(),
})

/** `RevocationKeyPublic` { z } (a registry definition's `value.publicKeys.accumKey`). */
export const revocationKeyPublicOf = (json: { z: Hex }): RevocationKeyPublic => ({ z: Pair.fromString(json.z) })
export const revocationKeyPublicJson = (k: RevocationKeyPublic): { z: Hex } => ({ z: k.z.toString() })

/** `RevocationKeyPrivate` { gamma } (a registry definition private's `value`). */
export const revocationKeyPrivateOf = (json: { gamma: Hex }): RevocationKeyPrivate => ({ gamma: goe(json.gamma) })
export const revocationKeyPrivateJson = (k: RevocationKeyPrivate): { gamma: Hex } => ({ gamma: k.gamma.toString() })

/** An accumulator (`currentAccumulator`, `rev_reg.accum`): infinity when nothing is in it. */
export const accumulatorOf = (s: Hex): PointG2 => PointG2.fromString(s, true)

export const revocationRegistryOf = (json: { accum: Hex }): RevocationRegistry => ({ accum: accumulatorOf(json.accum) })
export const revocationRegistryJson = (r: RevocationRegistry): { accum: Hex } => ({ accum: r.accum.toString() })

export const witnessOf = (json: { omega: Hex }): Witness => ({ omega: PointG2.fromString(json.omega, true) })
export const witnessJson = (w: Witness): { omega: Hex } => ({ omega: w.omega.toString() })

export interface NonRevocationCredentialSignatureJson {
  sigma: Hex
  c: Hex
  vr_prime_prime: Hex
  witness_signature: { sigma_i: Hex; u_i: Hex; g_i: Hex }
  g_i: Hex
  i: number
  m2: Hex
}

/** `NonRevocationCredentialSignature` (a credential's `signature.r_credential`). */
export function nonRevocationCredentialSignatureOf(json: NonRevocationCredentialSignatureJson): NonRevocationCredentialSignature {
  const ws = json.witness_signature
  return {
    sigma: g1(json.sigma),
    c: goe(json.c),
    vr_prime_prime: goe(json.vr_prime_prime),
    witness_signature: { sigma_i: g2(ws.sigma_i), u_i: g2(ws.u_i), g_i: g1(ws.g_i) },
    g_i: g1(json.g_i),
    i: json.i,
    m2: goe(json.m2),
  }
}

export function nonRevocationCredentialSignatureJson(s: NonRevocationCredentialSignature): NonRevocationCredentialSignatureJson {
  const ws = s.witness_signature
  return {
    sigma: s.sigma.toString(),
    c: s.c.toString(),
    vr_prime_prime: s.vr_prime_prime.toString(),
    witness_signature: { sigma_i: ws.sigma_i.toString(), u_i: ws.u_i.toString(), g_i: ws.g_i.toString() },
    g_i: s.g_i.toString(),
    i: s.i,
    m2: s.m2.toString(),
  }
}

export type NonRevocProofJson = z.output<typeof zNonRevocProof>

/** `NonRevocProof` { x_list, c_list } (a presentation sub-proof's `non_revoc_proof`, as parsed by zNonRevocProof). */
export function nonRevocProofOf(json: z.output<typeof zNonRevocProof>): NonRevocProof {
  const x = json.x_list
  const c = json.c_list
  return {
    x_list: {
      rho: goe(x.rho),
      r: goe(x.r),
      r_prime: goe(x.r_prime),
      r_prime_prime: goe(x.r_prime_prime),
      r_prime_prime_prime: goe(x.r_prime_prime_prime),
      o: goe(x.o),
      o_prime: goe(x.o_prime),
      m: goe(x.m),
      m_prime: goe(x.m_prime),
      t: goe(x.t),
      t_prime: goe(x.t_prime),
      ...(x.m2 != null ? { m2: goe(x.m2) } : {}),
      s: goe(x.s),
      c: goe(x.c),
    },
    c_list: { e: g1(c.e), d: g1(c.d), a: g1(c.a), g: g1(c.g), w: g2(c.w), s: g2(c.s), u: g2(c.u) },
  }
}

/** Members in serde's field order; x_list's legacy `m2` only when present (`skip_serializing_if`). */
export function nonRevocProofJson(p: NonRevocProof): NonRevocProofJson {
  const x = p.x_list
  const c = p.c_list
  const h = (v: GroupOrderElement | PointG1 | PointG2): Hex => v.toString()
  return {
    x_list: {
      rho: h(x.rho),
      r: h(x.r),
      r_prime: h(x.r_prime),
      r_prime_prime: h(x.r_prime_prime),
      r_prime_prime_prime: h(x.r_prime_prime_prime),
      o: h(x.o),
      o_prime: h(x.o_prime),
      m: h(x.m),
      m_prime: h(x.m_prime),
      t: h(x.t),
      t_prime: h(x.t_prime),
      ...(x.m2 ? { m2: h(x.m2) } : {}),
      s: h(x.s),
      c: h(x.c),
    },
    c_list: { e: h(c.e), d: h(c.d), a: h(c.a), g: h(c.g), w: h(c.w), s: h(c.s), u: h(c.u) },
  }
}
