import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  blindCredentialSecrets,
  blindPrimarySecrets,
  newBlindedSecretsCorrectnessProof,
  verifyBlindedCredentialSecretsCorrectnessProof,
} from '../src/cl/blinded-secrets.js'
import { modPow, toBytes } from '../src/cl/bn.js'
import * as C from '../src/cl/constants.js'
import { type ClRandom, credentialContext, encodeAttribute, hashNumbers } from '../src/cl/helpers.js'
import { type CredentialPrimaryKeys, createCredentialPrimaryKeys, verifyKeyCorrectnessProof } from '../src/cl/issuer-keys.js'
import { generatePrimeInRange, isProbablePrime } from '../src/cl/primes.js'
import { checkSignatureCorrectnessProof, processCredentialSignature, verifyPrimarySignature } from '../src/cl/process.js'
import { generateVPrimePrime, newSignatureCorrectnessProof, signCredential, signPrimaryCredential } from '../src/cl/sign.js'
import type {
  CredentialKeyCorrectnessProof,
  CredentialPrimaryPrivateKey,
  CredentialPrimaryPublicKey,
  CredentialValue,
  CredentialValues,
} from '../src/cl/types.js'
import { AnonCredsError, type AnonCredsErrorCode } from '../src/errors.js'

// Values copied verbatim from anoncreds-clsignatures-rs (src/issuer.rs, src/prover.rs and src/helpers.rs
// `mocks` modules and unit tests) by a script; see the keys for their origin.
type Json = Record<string, any>
const V: Json = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'clsignatures-mocks.json'), 'utf8'))
const big = (s: string): bigint => BigInt(s)
const bigMap = (o: Record<string, string>): Map<string, bigint> => new Map(Object.entries(o).map(([k, v]) => [k, big(v)]))

function expectCode(fn: () => unknown, code: AnonCredsErrorCode): void {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AnonCredsError)
    expect((e as AnonCredsError).code).toBe(code)
    return
  }
  throw new Error(`expected ${code}`)
}

/** CredentialPrimaryPublicKey from its clsignatures JSON (`rms`, if present, is the master_secret R). */
function publicKeyFromJson(j: Json): CredentialPrimaryPublicKey {
  const r = bigMap(j.r)
  if (j.rms) r.set('master_secret', big(j.rms))
  return { n: big(j.n), s: big(j.s), r, rctxt: big(j.rctxt), z: big(j.z) }
}
const kcpFromJson = (j: Json): CredentialKeyCorrectnessProof => ({
  c: big(j.c),
  xz_cap: big(j.xz_cap),
  xr_cap: (j.xr_cap as [string, string][]).map(([k, v]) => [k, big(v)] as const),
})

// mocks::credential_primary_public_key() and friends
const mockPk = ((m: Json): CredentialPrimaryPublicKey => ({
  n: big(m.n),
  s: big(m.s),
  r: bigMap(m.map),
  rctxt: big(m.rctxt),
  z: big(m.z),
}))(V['issuer.credential_primary_public_key'])
const mockSk: CredentialPrimaryPrivateKey = {
  p: big(V['issuer.credential_primary_private_key'].p),
  q: big(V['issuer.credential_primary_private_key'].q),
}
const mockKcp = ((m: Json): CredentialKeyCorrectnessProof => ({
  c: big(m.c),
  xz_cap: big(m.xz_cap),
  xr_cap: (m.pairs as [string, string][]).map(([k, v]) => [k, big(v)] as const),
}))(V['issuer.credential_key_correctness_proof'])
const known = (value: bigint | number): CredentialValue => ({ kind: 'known', value: BigInt(value) })
const NAME = 66682250590915135919393234675423675079281389286836524491448775067034910960723n
const SEX = 59607158875075502079861259255950808097316057515161310607657216396491477298979n
// issuer::mocks::credential_values() and prover::mocks::proof_credential_values()
const issuerValues: CredentialValues = new Map([
  ['age', known(25)],
  ['height', known(175)],
  ['name', known(NAME)],
  ['sex', known(SEX)],
])
const proverValues: CredentialValues = new Map([
  ...issuerValues,
  ['master_secret', { kind: 'hidden', value: big(V['prover.link_secret']) } as const],
])
const credentialNonce = big(V['issuer.credential_nonce'])
const issuanceNonce = big(V['issuer.credential_issuance_nonce'])
const proverFactors = V['prover.primary_blinded_credential_secrets_factors']
const mockBlinded = {
  u: big(proverFactors.u),
  hidden_attributes: ['master_secret'],
  committed_attributes: new Map<string, bigint>(),
}
const mockBlindedProof = ((m: Json) => ({
  c: big(m.c),
  v_dash_cap: big(m.v_dash_cap),
  m_caps: bigMap(m.map),
  r_caps: new Map<string, bigint>(),
}))(V['prover.blinded_credential_secrets_correctness_proof'])

/** MockHelper::inject(): bn_rand(size) answers from the table in helpers.rs. */
const mockRandom: ClRandom = {
  bits(size) {
    const name = Object.entries(C).find(([k, v]) => v === size && k in V['helpers.bn_rand'])?.[0]
    if (!name) throw new Error(`no mock for ${size} bits`)
    return big(V['helpers.bn_rand'][name])
  },
  below: () => big(V['helpers.bn_rand_range']),
}

describe('CL issuance: known answers from anoncreds-clsignatures-rs', () => {
  it('encodes numbers like the OpenSSL BigNumber::to_bytes (zero is empty, sign dropped)', () => {
    expect(toBytes(0n)).toEqual(new Uint8Array(0))
    expect(toBytes(-258n)).toEqual(Uint8Array.from([1, 2]))
    expect(toBytes(255n)).toEqual(Uint8Array.from([255]))
    const sha256Empty = 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855n
    expect(hashNumbers([0n])).toBe(sha256Empty)
    expect(hashNumbers([0n, 0n])).toBe(sha256Empty)
  })

  it('hashes like hash.rs and encodes attributes like helpers.rs', () => {
    // hash.rs get_hash_as_int_works
    const nums = [
      0xff9d2eedfee9cffd9ef6dbffedff3fcbef4caecb9bffe79bfa94d3fdf6abfbffn,
      0xff9d2eedfee9cffd9ef6dbffedff3fcbef4caecb9bffe79bfa9168615ccbc546n,
    ]
    expect(hashNumbers(nums)).toBe(0x2c2566c22e04ab3f18b3ba693823175002f10f400811363d26bbb33633ac8badn)
    expect(encodeAttribute('5435')).toBe(83761840706354868391674207739241454863743470852830526299004654280720761327142n)
    const t = V['test.generate_context_attribute_works']
    expect(credentialContext(t.prover_id, t.rev_idx)).toBe(big(t.expected))
  })

  it('verifies mocks::credential_key_correctness_proof() for mocks::credential_primary_public_key()', () => {
    expect(() => verifyKeyCorrectnessProof(mockPk, mockKcp)).not.toThrow()
    expect(() => verifyKeyCorrectnessProof(mockPk, { ...mockKcp, xr_cap: [...mockKcp.xr_cap].reverse() })).toThrow()
  })

  it('verifies the libindy v0.4.1 key correctness proof (no master_secret in xr_cap, rms key)', () => {
    const t = V['test.v0_4_1']
    expect(() => verifyKeyCorrectnessProof(publicKeyFromJson(t.pubk), kcpFromJson(t.kcp))).not.toThrow()
  })

  it('rejects a key correctness proof naming an attribute the key does not have', () => {
    const t = V['test.extra_keys']
    expectCode(
      () => verifyKeyCorrectnessProof(publicKeyFromJson(t.pubk), kcpFromJson(t.kcp)),
      'anoncreds.key_correctness_invalid',
    )
  })

  it('reproduces generate_blinded_primary_credential_secrets_works (U with the mocked v′)', () => {
    const t = V['test.generate_blinded_primary_credential_secrets_works']
    const f = blindPrimarySecrets(mockPk, proverValues, mockRandom.bits(C.LARGE_VPRIME))
    expect(f.v_prime).toBe(big(t.v_prime))
    expect(f.u).toBe(big(t.u))
    expect(f.hidden_attributes).toEqual(['master_secret'])
  })

  it('reproduces generate_blinded_credential_secrets_works (the whole proof, so the hash input matches)', () => {
    const t = V['test.generate_blinded_credential_secrets_works']
    const out = blindCredentialSecrets(mockPk, mockKcp, proverValues, credentialNonce, mockRandom)
    expect(out.blinded.u).toBe(big(t.u))
    expect(out.blindingFactors.v_prime).toBe(big(t.v_prime))
    expect(out.correctnessProof).toEqual({
      c: big(t.c),
      v_dash_cap: big(t.v_dash_cap),
      m_caps: bigMap(t.m_caps),
      r_caps: new Map(),
    })
    expect(() =>
      verifyBlindedCredentialSecretsCorrectnessProof(out.blinded, out.correctnessProof, credentialNonce, mockPk),
    ).not.toThrow()
  })

  it('verifies prover::mocks::blinded_credential_secrets_correctness_proof() against mocks::credential_nonce()', () => {
    expect(() =>
      verifyBlindedCredentialSecretsCorrectnessProof(mockBlinded, mockBlindedProof, credentialNonce, mockPk),
    ).not.toThrow()
    expectCode(
      () => verifyBlindedCredentialSecretsCorrectnessProof(mockBlinded, mockBlindedProof, issuanceNonce, mockPk),
      'anoncreds.blinded_secret_proof_invalid',
    )
  })

  it('reproduces sign_primary_credential_works (A for mocked m2, v″, e)', () => {
    const sig = V['issuer.primary_credential']
    const { a, q } = signPrimaryCredential(mockPk, mockSk, big(V['issuer.m2']), issuerValues, big(sig.v), mockBlinded, big(sig.e))
    expect(a).toBe(big(sig.a))
    expect(q).toBe(modPow(big(sig.a), big(sig.e), mockPk.n))
  })

  it('reproduces sign_credential_signature_works (m2 from PROVER_DID, A, e, v″, se, c)', () => {
    const t = V['test.sign_credential_signature_works']
    const m2 = credentialContext(V['prover.PROVER_DID'])
    const v = big(V['helpers.generate_v_prime_prime'])
    const e = big(V['helpers.generate_prime_in_range'])
    expect({ m2, v, e }).toEqual({ m2: big(t.signature.m_2), v: big(t.signature.v), e: big(t.signature.e) })
    const { a, q } = signPrimaryCredential(mockPk, mockSk, m2, issuerValues, v, mockBlinded, e)
    expect(a).toBe(big(t.signature.a))
    const proof = newSignatureCorrectnessProof(
      mockPk,
      mockSk,
      { m_2: m2, a, e, v },
      q,
      issuanceNonce,
      big(V['helpers.bn_rand_range']),
    )
    expect(proof).toEqual({ se: big(t.correctness_proof.se), c: big(t.correctness_proof.c) })
  })

  it('processes the Rust-issued signature with the mocked v′ and verifies its correctness proof', () => {
    const t = V['test.sign_credential_signature_works']
    const signature = { m_2: big(t.signature.m_2), a: big(t.signature.a), e: big(t.signature.e), v: big(t.signature.v) }
    const proof = { se: big(t.correctness_proof.se), c: big(t.correctness_proof.c) }
    const factors = { v_prime: big(proverFactors.v_prime) }
    const processed = processCredentialSignature(signature, proof, factors, mockPk, issuanceNonce, proverValues)
    expect(processed.v).toBe(big(proverFactors.v_prime) + signature.v)
    expect(() => verifyPrimarySignature(processed, proverValues, mockPk)).not.toThrow()
    expectCode(
      () => processCredentialSignature(signature, proof, factors, mockPk, credentialNonce, proverValues),
      'anoncreds.signature_correctness_invalid',
    )
  })

  it('reproduces process_primary_credential_works (v = v′ + v″)', () => {
    const issued = V['issuer.primary_credential']
    const processed = V['prover.primary_credential']
    expect(big(proverFactors.v_prime) + big(issued.v)).toBe(big(processed.v))
    const sig = { m_2: big(V['issuer.m2']), a: big(processed.a), e: big(processed.e), v: big(processed.v) }
    expect(() => verifyPrimarySignature(sig, proverValues, mockPk)).not.toThrow()
  })

  it('draws e and v″ from the clsignatures ranges', () => {
    const e = generatePrimeInRange(C.LARGE_E_START, C.LARGE_E_END_RANGE)
    expect(isProbablePrime(e)).toBe(true)
    expect(e >= C.LARGE_E_START_VALUE && e < C.LARGE_E_START_VALUE + (1n << BigInt(C.LARGE_E_END_RANGE))).toBe(true)
    expect(isProbablePrime(big(V['helpers.generate_prime_in_range']))).toBe(true)
    const v = generateVPrimePrime()
    expect(v.toString(2).length).toBe(C.LARGE_VPRIME_PRIME)
  })
})

describe('CL issuance round trip', () => {
  let keys: CredentialPrimaryKeys
  const attrs = ['name', 'age', 'sex']
  const linkSecret = 21578029250517794450984707538122537192839006240802068037273983354680998203845n
  const issuerValues: CredentialValues = new Map([
    ['name', known(encodeAttribute('Alice'))],
    ['age', known(28)],
    ['sex', known(encodeAttribute('female'))],
  ])
  const proverValues: CredentialValues = new Map([
    ...issuerValues,
    ['master_secret', { kind: 'hidden', value: linkSecret } as const],
  ])
  const blindValues: CredentialValues = new Map([['master_secret', { kind: 'hidden', value: linkSecret }]])
  const offerNonce = 400156503076115782845986n
  const requestNonce = 56533754654551822200471n
  const proverId = 'CnEDk9HrMnmiHXEV1WFgbVCRteYnPqsJwrTdcZaNhFVW'

  beforeAll(async () => {
    const t = performance.now()
    keys = await createCredentialPrimaryKeys(attrs)
    console.info(`createCredentialPrimaryKeys: ${Math.round(performance.now() - t)} ms`)
  }, 120_000)

  it('creates a 2050-bit modulus from two safe primes and r for every attribute and master_secret', () => {
    const { publicKey: pk, privateKey: sk } = keys
    expect(pk.n).toBe((2n * sk.p + 1n) * (2n * sk.q + 1n))
    expect(pk.n.toString(2).length).toBe(2 * (C.LARGE_PRIME + 1))
    expect(isProbablePrime(sk.p) && isProbablePrime(sk.q)).toBe(true)
    expect([...pk.r.keys()]).toEqual(['age', 'master_secret', 'name', 'sex'])
  })

  it('key correctness proof verifies; tampered ones fail with a typed error', () => {
    const { publicKey: pk, correctnessProof: kcp } = keys
    expect(() => verifyKeyCorrectnessProof(pk, kcp)).not.toThrow()
    expectCode(() => verifyKeyCorrectnessProof({ ...pk, z: pk.z + 1n }, kcp), 'anoncreds.key_correctness_invalid')
    const withoutAge = { ...kcp, xr_cap: kcp.xr_cap.filter(([k]) => k !== 'age') }
    expectCode(() => verifyKeyCorrectnessProof(pk, withoutAge), 'anoncreds.key_correctness_invalid')
    const r = new Map(pk.r)
    r.delete('name')
    expectCode(() => verifyKeyCorrectnessProof({ ...pk, r }, kcp), 'anoncreds.key_correctness_invalid')
    expectCode(() => verifyKeyCorrectnessProof(pk, { ...kcp, xz_cap: kcp.xz_cap + 1n }), 'anoncreds.key_correctness_invalid')
  })

  it('issues, processes and verifies a credential; tampering fails with typed errors', () => {
    const { publicKey, privateKey, correctnessProof: kcp } = keys
    const {
      blinded,
      blindingFactors,
      correctnessProof: blindedProof,
    } = blindCredentialSecrets(publicKey, kcp, blindValues, offerNonce)
    expect(() => verifyBlindedCredentialSecretsCorrectnessProof(blinded, blindedProof, offerNonce, publicKey)).not.toThrow()
    const badBlind = { ...blinded, u: blinded.u + 1n }
    expectCode(
      () => verifyBlindedCredentialSecretsCorrectnessProof(badBlind, blindedProof, offerNonce, publicKey),
      'anoncreds.blinded_secret_proof_invalid',
    )
    expectCode(
      () => verifyBlindedCredentialSecretsCorrectnessProof(blinded, blindedProof, offerNonce + 1n, publicKey),
      'anoncreds.blinded_secret_proof_invalid',
    )

    const args = {
      proverId,
      blinded,
      blindedProof,
      credentialNonce: offerNonce,
      issuanceNonce: requestNonce,
      values: issuerValues,
      publicKey,
      privateKey,
    }
    const t = performance.now()
    const { signature, correctnessProof } = signCredential(args)
    console.info(`signCredential: ${Math.round(performance.now() - t)} ms`)
    expect(signature.m_2).toBe(credentialContext(proverId))
    expectCode(() => signCredential({ ...args, credentialNonce: offerNonce + 1n }), 'anoncreds.blinded_secret_proof_invalid')
    expectCode(
      () => signCredential({ ...args, values: new Map([...issuerValues].filter(([k]) => k !== 'age')) }),
      'anoncreds.attribute_missing',
    )

    const t2 = performance.now()
    const processed = processCredentialSignature(
      signature,
      correctnessProof,
      blindingFactors,
      publicKey,
      requestNonce,
      proverValues,
    )
    console.info(`processCredentialSignature: ${Math.round(performance.now() - t2)} ms`)
    // Z ≡ A^e · S^v · Rctxt^m2 · Π R_i^m_i (mod n)
    const { n } = publicKey
    let rhs =
      (modPow(processed.a, processed.e, n) * modPow(publicKey.s, processed.v, n) * modPow(publicKey.rctxt, processed.m_2, n)) % n
    for (const [name, v] of proverValues) rhs = (rhs * modPow(publicKey.r.get(name)!, v.value, n)) % n
    expect(rhs).toBe(publicKey.z)
    expect(() => verifyPrimarySignature(processed, proverValues, publicKey)).not.toThrow()

    const process = (sig = signature, proof = correctnessProof, nonce = requestNonce, values = proverValues) =>
      processCredentialSignature(sig, proof, blindingFactors, publicKey, nonce, values)
    expectCode(() => process({ ...signature, a: signature.a + 1n }), 'anoncreds.signature_invalid')
    expectCode(() => process({ ...signature, e: signature.e + 1n }), 'anoncreds.signature_correctness_invalid') // not prime
    const otherE = generatePrimeInRange(C.LARGE_E_START, C.LARGE_E_END_RANGE)
    expectCode(() => process({ ...signature, e: otherE }), 'anoncreds.signature_invalid')
    expectCode(() => process(signature, correctnessProof, requestNonce + 1n), 'anoncreds.signature_correctness_invalid')
    expectCode(
      () => process(signature, { ...correctnessProof, se: correctnessProof.se + 1n }),
      'anoncreds.signature_correctness_invalid',
    )
    const wrongAge = new Map(proverValues).set('age', known(29))
    expectCode(() => process(signature, correctnessProof, requestNonce, wrongAge), 'anoncreds.signature_invalid')
    expectCode(
      () => checkSignatureCorrectnessProof(processed, proverValues, correctnessProof, publicKey, offerNonce),
      'anoncreds.signature_correctness_invalid',
    )
  })

  it('handles committed attributes in the blinded secrets proof', () => {
    const { publicKey, correctnessProof: kcp } = keys
    const values: CredentialValues = new Map<string, CredentialValue>([
      ['master_secret', { kind: 'hidden', value: linkSecret }],
      ['age', { kind: 'commitment', value: 28n, blinding_factor: 123456789n }],
    ])
    const { blinded, correctnessProof } = blindCredentialSecrets(publicKey, kcp, values, offerNonce)
    expect([...blinded.committed_attributes.keys()]).toEqual(['age'])
    expect(() => verifyBlindedCredentialSecretsCorrectnessProof(blinded, correctnessProof, offerNonce, publicKey)).not.toThrow()
    const committed = new Map(blinded.committed_attributes).set('age', blinded.committed_attributes.get('age')! + 1n)
    expectCode(
      () =>
        verifyBlindedCredentialSecretsCorrectnessProof(
          { ...blinded, committed_attributes: committed },
          correctnessProof,
          offerNonce,
          publicKey,
        ),
      'anoncreds.blinded_secret_proof_invalid',
    )
    const f = blindPrimarySecrets(publicKey, values, 1n)
    expect(newBlindedSecretsCorrectnessProof(publicKey, f, offerNonce, values).r_caps.has('age')).toBe(true)
  })
})
