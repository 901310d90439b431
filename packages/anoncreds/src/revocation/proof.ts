/**
 * The holder's non-revocation proof (clsignatures `ProofBuilder::_init_non_revocation_proof`, `_gen_c_list_params`,
 * `_create_c_list_values`, `_gen_tau_list_params`, `_finalize_non_revocation_proof`, `helpers::create_tau_list_values`).
 * In a full proof the c list and tau list bytes come before the primary proof's in the Fiat–Shamir hash
 * (clsignatures hashes tau_list ‖ c_list ‖ nonce).
 */
import { GroupOrderElement, Pair, type PointG1 } from '../pairing/groups.js'
import type {
  CredentialRevocationPublicKey,
  NonRevocationCredentialSignature,
  NonRevocInitProof,
  NonRevocProof,
  NonRevocProofCList,
  NonRevocProofTauList,
  NonRevocProofXList,
  RevocationRegistry,
  Witness,
} from './types.js'

/** `NonRevocProofXList::as_list` order (m2, if present, at position 8). */
export function xListAsList(x: NonRevocProofXList): GroupOrderElement[] {
  const list = [x.rho, x.o, x.c, x.o_prime, x.m, x.m_prime, x.t, x.t_prime, x.s, x.r, x.r_prime, x.r_prime_prime]
  list.push(x.r_prime_prime_prime)
  if (x.m2) list.splice(8, 0, x.m2)
  return list
}

/** `NonRevocProofXList::from_list` (13 values, no m2). */
export function xListFromList(seq: readonly GroupOrderElement[]): NonRevocProofXList {
  const at = (i: number): GroupOrderElement => seq[i]!
  return {
    rho: at(0),
    o: at(1),
    c: at(2),
    o_prime: at(3),
    m: at(4),
    m_prime: at(5),
    t: at(6),
    t_prime: at(7),
    s: at(8),
    r: at(9),
    r_prime: at(10),
    r_prime_prime: at(11),
    r_prime_prime_prime: at(12),
  }
}

/** `NonRevocProofCList::as_list`: e, d, a, g, w, s, u as bytes. */
export const cListBytes = (c: NonRevocProofCList): Uint8Array[] => [c.e, c.d, c.a, c.g, c.w, c.s, c.u].map((p) => p.toBytes())

/** `NonRevocProofTauList::as_slice`: t1..t8 as bytes. */
export const tauListBytes = (t: NonRevocProofTauList): Uint8Array[] =>
  [t.t1, t.t2, t.t3, t.t4, t.t5, t.t6, t.t7, t.t8].map((p: PointG1 | Pair) => p.toBytes())

export function genCListParams(rCred: NonRevocationCredentialSignature): NonRevocProofXList {
  const rnd = GroupOrderElement.random
  const rho = rnd()
  const r = rnd()
  const r_prime = rnd()
  const r_prime_prime = rnd()
  const r_prime_prime_prime = rnd()
  const o = rnd()
  const o_prime = rnd()
  return {
    rho,
    r,
    r_prime,
    r_prime_prime,
    r_prime_prime_prime,
    o,
    o_prime,
    m: rho.mul(rCred.c),
    m_prime: r.mul(r_prime_prime),
    t: o.mul(rCred.c),
    t_prime: o_prime.mul(r_prime_prime),
    s: rCred.vr_prime_prime,
    c: rCred.c,
  }
}

export function genTauListParams(): NonRevocProofXList {
  const rnd = GroupOrderElement.random
  return xListFromList(Array.from({ length: 13 }, rnd))
}

export function createCListValues(
  rCred: NonRevocationCredentialSignature,
  params: NonRevocProofXList,
  pk: CredentialRevocationPublicKey,
  witness: Witness,
): NonRevocProofCList {
  return {
    e: pk.h.mul(params.rho).add(pk.htilde.mul(params.o)),
    d: pk.g.mul(params.r).add(pk.htilde.mul(params.o_prime)),
    a: rCred.sigma.add(pk.htilde.mul(params.rho)),
    g: rCred.g_i.add(pk.htilde.mul(params.r)),
    w: witness.omega.add(pk.h_cap.mul(params.r_prime)),
    s: rCred.witness_signature.sigma_i.add(pk.h_cap.mul(params.r_prime_prime)),
    u: rCred.witness_signature.u_i.add(pk.h_cap.mul(params.r_prime_prime_prime)),
  }
}

/** `helpers::create_tau_list_values` (used by both holder and verifier). */
export function createTauListValues(
  pk: CredentialRevocationPublicKey,
  registry: RevocationRegistry,
  params: NonRevocProofXList,
  c: NonRevocProofCList,
  m2: GroupOrderElement,
): NonRevocProofTauList {
  const hr = pk.htilde.mul(params.r)
  return {
    t1: pk.h.mul(params.rho).add(pk.htilde.mul(params.o)),
    t2: c.e.mul(params.c).sub(pk.h.mul(params.m)).sub(pk.htilde.mul(params.t)),
    t3: Pair.pair2(
      c.a
        .mul(params.c)
        .add(pk.htilde.mul(params.r.sub(params.m)))
        .sub(pk.h1.mul(m2))
        .sub(pk.h2.mul(params.s)),
      pk.h_cap,
      pk.htilde.mul(params.rho).neg(),
      pk.y,
    ),
    t4: Pair.pair2(hr, registry.accum, pk.g.mul(params.r_prime).neg(), pk.h_cap),
    t5: pk.g.mul(params.r).add(pk.htilde.mul(params.o_prime)),
    t6: c.d.mul(params.r_prime_prime).sub(pk.g.mul(params.m_prime)).sub(pk.htilde.mul(params.t_prime)),
    t7: Pair.pair2(pk.pk.add(c.g).mul(params.r_prime_prime).sub(pk.htilde.mul(params.m_prime)), pk.h_cap, hr, c.s),
    t8: Pair.pair2(hr, pk.u, pk.g.mul(params.r_prime_prime_prime).neg(), pk.h_cap),
  }
}

/**
 * `_init_non_revocation_proof`: `m2Tilde` is the primary equality proof's m2 blinding (reduced mod r here); the
 * credential must carry vr'' as processed by the holder.
 */
export function initNonRevocationProof(
  rCred: NonRevocationCredentialSignature,
  registry: RevocationRegistry,
  pk: CredentialRevocationPublicKey,
  witness: Witness,
  m2Tilde: bigint,
): NonRevocInitProof {
  const c_list_params = genCListParams(rCred)
  const c_list = createCListValues(rCred, c_list_params, pk, witness)
  const tau_list_params = genTauListParams()
  const tau_list = createTauListValues(pk, registry, tau_list_params, c_list, GroupOrderElement.of(m2Tilde))
  return { c_list_params, tau_list_params, c_list, tau_list }
}

/** `_finalize_non_revocation_proof`: x_i = tau_i + c_h · c_i (mod r). */
export function finalizeNonRevocationProof(init: NonRevocInitProof, cHash: bigint): NonRevocProof {
  const ch = GroupOrderElement.of(cHash)
  const tau = xListAsList(init.tau_list_params)
  const cl = xListAsList(init.c_list_params)
  return { x_list: xListFromList(tau.map((x, i) => x.add(ch.mul(cl[i]!)))), c_list: init.c_list }
}
