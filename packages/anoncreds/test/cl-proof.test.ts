import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { hashList } from '../src/cl/bn.js'
import { bnToBytes, challengeHash } from '../src/cl/challenge.js'
import {
  LARGE_ALPHATILDE,
  LARGE_ETILDE,
  LARGE_MVECT,
  LARGE_RTILDE,
  LARGE_UTILDE,
  LARGE_VPRIME,
  LARGE_VTILDE,
} from '../src/cl/constants.js'
import { fourSquares } from '../src/cl/four-squares.js'
import { type ClRandom, encodeAttribute, newNonce } from '../src/cl/helpers.js'
import { createCredentialPrimaryKeys } from '../src/cl/issuer-keys.js'
import { calcTeq, calcTne } from '../src/cl/proof-helpers.js'
import type { PrimaryEqualProof, PrimaryPredicateInequalityProof, Proof } from '../src/cl/proof-types.js'
import { finalizeEqProof, finalizeNeProof, initEqProof, initNeProof, ProofBuilder } from '../src/cl/prover-proof.js'
import { type Predicate, type SubProofRequest, subProofRequest } from '../src/cl/sub-proof-request.js'
import {
  type BigIntMap,
  type CredentialPrimaryPublicKey,
  type CredentialValue,
  credentialSchema,
  MASTER_SECRET,
  nonCredentialSchema,
} from '../src/cl/types.js'
import { ProofVerifier, verifyEquality, verifyNePredicate } from '../src/cl/verifier-proof.js'
import { AnonCredsError } from '../src/errors.js'
import { type IssuedCredential, issue, type TestIssuer, testIssuer } from './cl-test-issuer.js'

// ---------------------------------------------------------------------------------------------------------------
// Known answers: the mocks and expected values of anoncreds-clsignatures-rs (src/prover.rs `mocks`, unit tests of
// src/prover.rs, src/verifier.rs, src/helpers.rs, src/hash.rs), extracted into fixtures/clsignatures-proof-kat.json.
// ---------------------------------------------------------------------------------------------------------------

type Dec = string
type DecMap = Record<string, Dec>
const kat = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'clsignatures-proof-kat.json'), 'utf8')) as {
  pk: { n: Dec; s: Dec; rctxt: Dec; z: Dec; r: DecMap }
  m2: Dec
  m1_t: Dec
  link_secret: Dec
  m2_tilde: Dec
  c_hash: Dec
  credential_values: DecMap
  primary_credential: { a: Dec; e: Dec; v: Dec }
  primary_equal_init_proof: Record<'a_prime' | 't' | 'e_tilde' | 'e_prime' | 'v_tilde' | 'v_prime' | 'm2', Dec> & {
    m_tilde: DecMap
  }
  primary_ne_init_proof: {
    c_list: Dec[]
    tau_list: Dec[]
    u: DecMap
    u_tilde: DecMap
    r: DecMap
    r_tilde: DecMap
    alpha_tilde: Dec
    t: DecMap
  }
  eq_proof: { a_prime: Dec; e: Dec; v: Dec; m2: Dec; m: DecMap; revealed_attrs: DecMap }
  ne_proof: { u: DecMap; r: DecMap; mj: Dec; alpha: Dec; t: DecMap }
  bn_rand: Record<string, Dec>
  expected: Record<'verify_equality' | 'verify_ne_predicate' | 'calc_tne' | 'calc_teq', Record<string, Dec>>
}

const big = (m: DecMap): Map<string, bigint> => new Map(Object.entries(m).map(([k, v]) => [k, BigInt(v)]))
const dec = (m: BigIntMap): DecMap => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]))
const decList = (l: readonly bigint[]): Dec[] => l.map(String)

const katPk: CredentialPrimaryPublicKey = {
  n: BigInt(kat.pk.n),
  s: BigInt(kat.pk.s),
  rctxt: BigInt(kat.pk.rctxt),
  z: BigInt(kat.pk.z),
  r: big(kat.pk.r),
}
const katSchema = credentialSchema(['name', 'age', 'height', 'sex'])
const katNonSchema = nonCredentialSchema()
const katGe18: Predicate = { attr_name: 'age', p_type: 'GE', value: 18 }
const katRequest = subProofRequest({ revealedAttrs: ['name'], predicates: [katGe18] })
const katValues = new Map<string, CredentialValue>([
  ...Object.entries(kat.credential_values).map(([k, v]): [string, CredentialValue] => [k, { kind: 'known', value: BigInt(v) }]),
  [MASTER_SECRET, { kind: 'hidden', value: BigInt(kat.link_secret) }],
])
const katCred = {
  subProofRequest: katRequest,
  credentialSchema: katSchema,
  nonCredentialSchema: katNonSchema,
  credentialValues: katValues,
}
const katEqProof: PrimaryEqualProof = {
  revealed_attrs: big(kat.eq_proof.revealed_attrs),
  a_prime: BigInt(kat.eq_proof.a_prime),
  e: BigInt(kat.eq_proof.e),
  v: BigInt(kat.eq_proof.v),
  m: big(kat.eq_proof.m),
  m2: BigInt(kat.eq_proof.m2),
}
const katNeProof: PrimaryPredicateInequalityProof = {
  u: big(kat.ne_proof.u),
  r: big(kat.ne_proof.r),
  mj: BigInt(kat.ne_proof.mj),
  alpha: BigInt(kat.ne_proof.alpha),
  t: big(kat.ne_proof.t),
  predicate: katGe18,
}
const sizes: Record<string, number> = {
  LARGE_VPRIME,
  LARGE_ETILDE,
  LARGE_VTILDE,
  LARGE_MVECT,
  LARGE_UTILDE,
  LARGE_RTILDE,
  LARGE_ALPHATILDE,
}
/** clsignatures `MockHelper::inject()`: bn_rand(size) returns a fixed value per size. */
const mockRandom: ClRandom = {
  bits(size) {
    const name = Object.entries(kat.bn_rand).find(([n]) => sizes[n] === size)
    if (!name) throw new Error(`no mock for ${size} bits`)
    return BigInt(name[1])
  },
  below() {
    throw new Error('not used')
  },
}
const cHash = BigInt(kat.c_hash)

describe('clsignatures known answers', () => {
  it('four_squares', () => {
    expect(fourSquares(107)).toEqual([9n, 5n, 1n, 0n])
    expect(fourSquares(112)).toEqual([10n, 2n, 2n, 2n])
    expect(fourSquares(253)).toEqual([14n, 7n, 2n, 2n])
    expect(fourSquares(1506099439)).toEqual([38807n, 337n, 50n, 11n])
    expect(fourSquares(0)).toEqual([0n, 0n, 0n, 0n])
    expect(fourSquares(7)).toEqual([2n, 1n, 1n, 1n])
  })

  it('hash_list_to_bignum (get_hash_as_int_works)', () => {
    const nums = [
      0xff9d2eedfee9cffd9ef6dbffedff3fcbef4caecb9bffe79bfa94d3fdf6abfbffn,
      0xff9d2eedfee9cffd9ef6dbffedff3fcbef4caecb9bffe79bfa9168615ccbc546n,
    ]
    expect(hashList(nums.map(bnToBytes)).toString(16).toUpperCase()).toBe(
      '2C2566C22E04AB3F18B3BA693823175002F10F400811363D26BBB33633AC8BAD',
    )
  })

  it('calc_teq', () => {
    const e = katEqProof
    const t = calcTeq(katPk, e.a_prime, e.e, e.v, e.m, e.m2, ['age', 'height', 'sex'])
    expect(t.toString()).toBe(kat.expected.calc_teq['0'])
  })

  it('calc_tne', () => {
    const p = katNeProof
    const tau = calcTne(katPk, p.u, p.r, p.mj, p.alpha, p.t, false)
    for (const [i, v] of Object.entries(kat.expected.calc_tne)) expect(tau[Number(i)]!.toString()).toBe(v)
  })

  it('_init_eq_proof', () => {
    const sig = { m_2: BigInt(kat.m2), ...kat.primary_credential }
    const init = initEqProof(
      new Map([[MASTER_SECRET, BigInt(kat.m1_t)]]),
      katPk,
      { m_2: sig.m_2, a: BigInt(sig.a), e: BigInt(sig.e), v: BigInt(sig.v) },
      katCred,
      BigInt(kat.m2_tilde),
      mockRandom,
    )
    const { m_tilde, ...rest } = kat.primary_equal_init_proof
    expect({ ...init, m_tilde: dec(init.m_tilde), m2_tilde: String(init.m2_tilde) }).toEqual({
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, BigInt(v)])),
      m_tilde,
      m2_tilde: kat.m2_tilde,
    })
  })

  it('_init_ne_proof', () => {
    const init = initNeProof(katPk, big(kat.primary_equal_init_proof.m_tilde), katValues, katGe18, mockRandom)
    const want = kat.primary_ne_init_proof
    expect(decList(init.c_list)).toEqual(want.c_list)
    expect(decList(init.tau_list)).toEqual(want.tau_list)
    expect(dec(init.u)).toEqual(want.u)
    expect(dec(init.u_tilde)).toEqual(want.u_tilde)
    expect(dec(init.r)).toEqual(want.r)
    expect(dec(init.r_tilde)).toEqual(want.r_tilde)
    expect(dec(init.t)).toEqual(want.t)
    expect(init.alpha_tilde.toString()).toBe(want.alpha_tilde)
  })

  it('_finalize_eq_proof', () => {
    const i = kat.primary_equal_init_proof
    const init = {
      a_prime: BigInt(i.a_prime),
      t: BigInt(i.t),
      e_tilde: BigInt(i.e_tilde),
      e_prime: BigInt(i.e_prime),
      v_tilde: BigInt(i.v_tilde),
      v_prime: BigInt(i.v_prime),
      m_tilde: big(i.m_tilde),
      m2_tilde: BigInt(kat.m2_tilde),
      m2: BigInt(i.m2),
    }
    const eq = finalizeEqProof(init, cHash, katCred)
    expect(eq).toEqual(katEqProof)
  })

  it('_finalize_ne_proof', () => {
    const i = kat.primary_ne_init_proof
    const init = {
      c_list: i.c_list.map(BigInt),
      tau_list: i.tau_list.map(BigInt),
      u: big(i.u),
      u_tilde: big(i.u_tilde),
      r: big(i.r),
      r_tilde: big(i.r_tilde),
      alpha_tilde: BigInt(i.alpha_tilde),
      predicate: katGe18,
      t: big(i.t),
    }
    expect(finalizeNeProof(cHash, init, katEqProof)).toEqual(katNeProof)
  })

  it('_verify_equality recomputes the init proof T', () => {
    const req = subProofRequest({ revealedAttrs: ['name'] })
    const t = verifyEquality(katPk, katEqProof, cHash, katSchema, katNonSchema, req)
    expect(t.toString()).toBe(kat.expected.verify_equality['0'])
    expect(t.toString()).toBe(kat.primary_equal_init_proof.t)
  })

  it('_verify_ne_predicate recomputes the init proof tau list', () => {
    const tau = verifyNePredicate(katPk, katNeProof, cHash)
    for (const [i, v] of Object.entries(kat.expected.verify_ne_predicate)) expect(tau[Number(i)]!.toString()).toBe(v)
    expect(decList(tau)).toEqual(kat.primary_ne_init_proof.tau_list)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Proofs over credentials issued with the issuance code (small keys: 512-bit safe primes).
// ---------------------------------------------------------------------------------------------------------------

/** The AnonCreds encoding: 32-bit integers as themselves, everything else SHA-256. */
const encode = (raw: string): bigint =>
  /^-?\d+$/.test(raw) && Number(raw) >= -(2 ** 31) && Number(raw) < 2 ** 31 ? BigInt(raw) : encodeAttribute(raw)

interface Part {
  readonly issuer: TestIssuer
  readonly cred: IssuedCredential
  readonly req: SubProofRequest
  readonly pk?: CredentialPrimaryPublicKey
  readonly expectedRevealed?: BigIntMap
}

function prove(parts: readonly Part[], nonce: bigint, common: readonly string[] = [MASTER_SECRET]): Proof {
  const builder = new ProofBuilder({ commonAttributes: common })
  for (const { issuer, cred, req } of parts) {
    builder.addSubProofRequest(req, issuer.schema, nonCredentialSchema(), cred.signature, cred.values, issuer.keys.publicKey)
  }
  return builder.finalize(nonce)
}

function verifier(parts: readonly Part[], common: readonly string[] = [MASTER_SECRET]): ProofVerifier {
  const v = new ProofVerifier({ commonAttributes: common })
  for (const { issuer, req, pk, expectedRevealed } of parts) {
    v.addSubProofRequest(req, issuer.schema, nonCredentialSchema(), pk ?? issuer.keys.publicKey, expectedRevealed)
  }
  return v
}

/** true only if verify returns true; a typed rejection counts as not accepted. */
function accepts(parts: readonly Part[], proof: Proof, nonce: bigint): boolean {
  try {
    return verifier(parts).verify(proof, nonce)
  } catch (e) {
    if (e instanceof AnonCredsError) return false
    throw e
  }
}

function withEq(proof: Proof, patch: Partial<PrimaryEqualProof>, i = 0): Proof {
  const proofs = proof.proofs.map((s, j) =>
    j === i ? { primary_proof: { ...s.primary_proof, eq_proof: { ...s.primary_proof.eq_proof, ...patch } } } : s,
  )
  return { ...proof, proofs }
}

function withGe(proof: Proof, patch: Partial<PrimaryPredicateInequalityProof>): Proof {
  const p = proof.proofs[0]!.primary_proof
  const ge = p.ge_proofs.map((g, j) => (j === 0 ? { ...g, ...patch } : g))
  return { ...proof, proofs: [{ primary_proof: { ...p, ge_proofs: ge } }, ...proof.proofs.slice(1)] }
}

const bump = (m: BigIntMap, k: string): Map<string, bigint> => new Map([...m, [k, m.get(k)! + 1n]])

const gvtRaw = { name: 'Alex', sex: 'male', height: '175', age: '28' }
const gvtKnown = Object.fromEntries(Object.entries(gvtRaw).map(([k, v]) => [k, encode(v)]))
const gvtRequest = subProofRequest({
  revealedAttrs: ['name', 'sex', 'height'],
  predicates: [{ attr_name: 'age', p_type: 'GE', value: 18 }],
})

describe('ProofBuilder / ProofVerifier', () => {
  let gvt: TestIssuer
  let xyz: TestIssuer
  let gvtOther: TestIssuer
  let linkSecret: bigint
  let gvtCred: IssuedCredential
  let xyzCred: IssuedCredential
  let gvtPart: Part
  let nonce: bigint
  let proof: Proof

  beforeAll(async () => {
    ;[gvt, xyz, gvtOther] = await Promise.all([
      testIssuer(['name', 'sex', 'height', 'age'], 512),
      testIssuer(['status', 'period'], 512),
      testIssuer(['name', 'sex', 'height', 'age'], 512),
    ])
    linkSecret = newNonce() << 176n
    gvtCred = issue(gvt, gvtKnown, linkSecret)
    xyzCred = issue(xyz, { status: encode('partial'), period: 8n }, linkSecret)
    gvtPart = { issuer: gvt, cred: gvtCred, req: gvtRequest }
    nonce = newNonce()
    proof = prove([gvtPart], nonce)
  }, 120_000)

  it('1 credential, 3 revealed + 1 hidden attribute, 1 GE predicate: verifies', () => {
    expect(proof.proofs).toHaveLength(1)
    const eq = proof.proofs[0]!.primary_proof.eq_proof
    expect([...eq.revealed_attrs.keys()]).toEqual(['height', 'name', 'sex'])
    expect(eq.revealed_attrs.get('name')).toBe(encode('Alex'))
    expect([...eq.m.keys()].sort()).toEqual(['age', MASTER_SECRET])
    expect(proof.proofs[0]!.primary_proof.ge_proofs).toHaveLength(1)
    expect(proof.aggregated_proof.c_list).toHaveLength(6) // A', T_0..T_3, T_Δ
    expect(verifier([gvtPart]).verify(proof, nonce)).toBe(true)
  })

  it('the verifier object can verify twice and accepts an unsorted predicate list', () => {
    const v = verifier([gvtPart])
    expect(v.verify(proof, nonce)).toBe(true)
    expect(v.verify(proof, nonce)).toBe(true)
  })

  it('2 credentials sharing the link secret, in one proof: verifies, m̂ of master_secret equal', () => {
    const xyzPart: Part = {
      issuer: xyz,
      cred: xyzCred,
      req: subProofRequest({ revealedAttrs: ['status'], predicates: [{ attr_name: 'period', p_type: 'GE', value: 5 }] }),
    }
    const p = prove([gvtPart, xyzPart], nonce)
    const ms = p.proofs.map((s) => s.primary_proof.eq_proof.m.get(MASTER_SECRET))
    expect(ms[0]).toBe(ms[1])
    expect(verifier([gvtPart, xyzPart]).verify(p, nonce)).toBe(true)
    // order matters: sub-proofs are matched to requests by position
    expect(accepts([xyzPart, gvtPart], p, nonce)).toBe(false)
  })

  it('different link secrets in two credentials: not accepted as linked', () => {
    const other = issue(xyz, { status: encode('partial'), period: 8n }, linkSecret + 1n)
    const xyzPart: Part = { issuer: xyz, cred: other, req: subProofRequest({ revealedAttrs: ['status'] }) }
    const p = prove([gvtPart, xyzPart], nonce)
    expect(() => verifier([gvtPart, xyzPart]).verify(p, nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.proof_invalid' }),
    )
    // a prover that does not share m̃ cannot forge equal m̂ either: the proof without common attributes does
    // not pass a verifier that requires them
    const unlinked = prove([gvtPart, xyzPart], nonce, [])
    expect(accepts([gvtPart, xyzPart], unlinked, nonce)).toBe(false)
    // ...while each credential on its own is fine
    expect(verifier([gvtPart, xyzPart], []).verify(unlinked, nonce)).toBe(true)
  })

  it.each([
    ['GE', 28],
    ['GE', -5],
    ['GT', 27],
    ['LE', 28],
    ['LE', 1000],
    ['LT', 29],
    ['LT', 2 ** 31 - 1],
  ] as const)('%s %i over age 28: verifies', (p_type, value) => {
    const req = subProofRequest({ revealedAttrs: ['name'], predicates: [{ attr_name: 'age', p_type, value }] })
    const part = { ...gvtPart, req }
    const p = prove([part], nonce)
    expect(verifier([part]).verify(p, nonce)).toBe(true)
  })

  it('several predicates on one credential (incl. two on the same attribute): verifies', () => {
    const req = subProofRequest({
      revealedAttrs: ['name'],
      predicates: [
        { attr_name: 'height', p_type: 'LT', value: 200 },
        { attr_name: 'age', p_type: 'LE', value: 65 },
        { attr_name: 'age', p_type: 'GE', value: 18 },
      ],
    })
    expect(req.predicates.map((p) => `${p.attr_name} ${p.p_type}`)).toEqual(['age GE', 'age LE', 'height LT'])
    const part = { ...gvtPart, req }
    const p = prove([part], nonce)
    expect(p.proofs[0]!.primary_proof.ge_proofs).toHaveLength(3)
    expect(verifier([part]).verify(p, nonce)).toBe(true)
  })

  it.each([
    ['GE', 29],
    ['GT', 28],
    ['LE', 27],
    ['LT', 28],
  ] as const)('%s %i over age 28: the prover refuses (predicate_unsatisfied)', (p_type, value) => {
    const req = subProofRequest({ predicates: [{ attr_name: 'age', p_type, value }] })
    expect(() => prove([{ ...gvtPart, req }], nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.predicate_unsatisfied' }),
    )
  })

  it('a predicate over a non-integer attribute: predicate_unsatisfied', () => {
    const req = subProofRequest({ predicates: [{ attr_name: 'name', p_type: 'GE', value: 1 }] })
    expect(() => prove([{ ...gvtPart, req }], nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.predicate_unsatisfied' }),
    )
  })

  it('inconsistent requests are typed errors', () => {
    const both = subProofRequest({ revealedAttrs: ['age'], predicates: [{ attr_name: 'age', p_type: 'GE', value: 1 }] })
    expect(() => prove([{ ...gvtPart, req: both }], nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.request_invalid' }),
    )
    const missing = subProofRequest({ revealedAttrs: ['email'] })
    expect(() => prove([{ ...gvtPart, req: missing }], nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.attribute_missing' }),
    )
    expect(() => verifier([{ ...gvtPart, req: missing }])).toThrow(expect.objectContaining({ code: 'anoncreds.request_invalid' }))
    const fewer = { ...gvtPart, cred: { ...gvtCred, values: new Map([...gvtCred.values].slice(1)) } }
    expect(() => prove([fewer], nonce)).toThrow(expect.objectContaining({ code: 'anoncreds.schema_mismatch' }))
    expect(() => subProofRequest({ predicates: [{ attr_name: 'age', p_type: 'EQ' as 'GE', value: 1 }] })).toThrow(
      expect.objectContaining({ code: 'anoncreds.request_invalid' }),
    )
    expect(() => subProofRequest({ predicates: [{ attr_name: 'age', p_type: 'GE', value: 2 ** 31 }] })).toThrow(
      expect.objectContaining({ code: 'anoncreds.request_invalid' }),
    )
  })

  it('a proof that does not answer the request is rejected', () => {
    const other = { ...gvtPart, req: subProofRequest({ revealedAttrs: ['name'], predicates: gvtRequest.predicates }) }
    expect(() => verifier([other]).verify(proof, nonce)).toThrow(expect.objectContaining({ code: 'anoncreds.proof_invalid' }))
    const le = subProofRequest({
      revealedAttrs: gvtRequest.revealedAttrs,
      predicates: [{ attr_name: 'age', p_type: 'GE', value: 17 }],
    })
    expect(accepts([{ ...gvtPart, req: le }], proof, nonce)).toBe(false)
    expect(accepts([gvtPart, gvtPart], proof, nonce)).toBe(false)
  })

  it('wrong nonce, wrong public key, changed c_hash or c_list: false', () => {
    expect(accepts([gvtPart], proof, nonce + 1n)).toBe(false)
    expect(accepts([{ ...gvtPart, pk: gvtOther.keys.publicKey }], proof, nonce)).toBe(false)
    const agg = proof.aggregated_proof
    expect(accepts([gvtPart], { ...proof, aggregated_proof: { ...agg, c_hash: agg.c_hash + 1n } }, nonce)).toBe(false)
    const cList = agg.c_list.map((b, i) => (i === 2 ? Uint8Array.from(b, (x, j) => (j === 0 ? x ^ 1 : x)) : b))
    expect(accepts([gvtPart], { ...proof, aggregated_proof: { ...agg, c_list: cList } }, nonce)).toBe(false)
    expect(accepts([gvtPart], { ...proof, aggregated_proof: { ...agg, c_list: agg.c_list.slice(1) } }, nonce)).toBe(false)
  })

  it('tampered eq_proof fields: false', () => {
    const eq = proof.proofs[0]!.primary_proof.eq_proof
    const n = gvt.keys.publicKey.n
    expect(accepts([gvtPart], withEq(proof, { revealed_attrs: bump(eq.revealed_attrs, 'sex') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { a_prime: (eq.a_prime * 4n) % n }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { e: eq.e + 1n }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { e: eq.e + (1n << 460n) }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { v: eq.v + 1n }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { m: bump(eq.m, 'age') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { m: bump(eq.m, MASTER_SECRET) }), nonce)).toBe(false)
    expect(accepts([gvtPart], withEq(proof, { m2: eq.m2 + 1n }), nonce)).toBe(false)
    const noAge = new Map([...eq.m].filter(([k]) => k !== 'age'))
    expect(accepts([gvtPart], withEq(proof, { m: noAge }), nonce)).toBe(false)
  })

  it('tampered ge_proof fields: false', () => {
    const ge = proof.proofs[0]!.primary_proof.ge_proofs[0]!
    expect(accepts([gvtPart], withGe(proof, { u: bump(ge.u, '2') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { r: bump(ge.r, 'DELTA') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { r: bump(ge.r, '0') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { t: bump(ge.t, '1') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { t: bump(ge.t, 'DELTA') }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { mj: ge.mj + 1n }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { alpha: ge.alpha + 1n }), nonce)).toBe(false)
    expect(accepts([gvtPart], withGe(proof, { predicate: { ...ge.predicate, value: 17 } }), nonce)).toBe(false)
    const lowered = { ...gvtPart, req: subProofRequest({ ...gvtRequest, predicates: [{ ...ge.predicate, value: 30 }] }) }
    expect(accepts([lowered], withGe(proof, { predicate: { ...ge.predicate, value: 30 } }), nonce)).toBe(false)
  })

  it('expected revealed values: a different encoding is encoding_mismatch', () => {
    const expected = new Map([['name', encode('Alex')]])
    expect(verifier([{ ...gvtPart, expectedRevealed: expected }]).verify(proof, nonce)).toBe(true)
    const wrong = new Map([['name', encode('Alexa')]])
    expect(() => verifier([{ ...gvtPart, expectedRevealed: wrong }]).verify(proof, nonce)).toThrow(
      expect.objectContaining({ code: 'anoncreds.encoding_mismatch' }),
    )
  })

  it('property: a proof whose revealed raw value was changed is never accepted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('name', 'sex', 'height'),
        fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String)),
        (attr, raw) => {
          fc.pre(encode(raw) !== gvtKnown[attr])
          const eq = proof.proofs[0]!.primary_proof.eq_proof
          const changed = new Map([...eq.revealed_attrs, [attr, encode(raw)]])
          // the proof's value replaced...
          if (accepts([gvtPart], withEq(proof, { revealed_attrs: changed }), nonce)) return false
          // ...or the presentation claims another raw value than the proof carries
          const claim: Part = { ...gvtPart, expectedRevealed: new Map([[attr, encode(raw)]]) }
          return !accepts([claim], proof, nonce)
        },
      ),
      { numRuns: 20 },
    )
  })

  it('the challenge is H(tau list ‖ c_list ‖ nonce) over to_bytes values', () => {
    // recomputing with a reordered c_list gives another hash: the order is part of the format
    const agg = proof.aggregated_proof
    const reversed = [...agg.c_list].reverse()
    expect(challengeHash([], reversed, nonce)).not.toBe(challengeHash([], agg.c_list, nonce))
    expect(agg.c_list[0]).toEqual(bnToBytes(proof.proofs[0]!.primary_proof.eq_proof.a_prime))
  })
})

describe('full-size key (LARGE_PRIME safe primes, 2050-bit n)', () => {
  let issuer: TestIssuer
  let cred: IssuedCredential

  beforeAll(async () => {
    const keys = await createCredentialPrimaryKeys(['name', 'sex', 'height', 'age'])
    issuer = { keys, schema: credentialSchema(['name', 'sex', 'height', 'age']) }
    cred = issue(issuer, gvtKnown, newNonce() << 176n)
  }, 120_000)

  it('prove and verify 1 credential, 3 revealed + 1 GE predicate', () => {
    const part: Part = { issuer, cred, req: gvtRequest }
    const nonce = newNonce()
    const t0 = performance.now()
    const p = prove([part], nonce)
    const t1 = performance.now()
    const ok = verifier([part]).verify(p, nonce)
    const t2 = performance.now()
    expect(ok).toBe(true)
    console.info(`CL proof, 2050-bit n: prove ${(t1 - t0).toFixed(0)} ms, verify ${(t2 - t1).toFixed(0)} ms`)
    expect(accepts([part], withEq(p, { e: p.proofs[0]!.primary_proof.eq_proof.e + 1n }), nonce)).toBe(false)
  })
})
