import { describe, expect, it } from 'vitest'
import {
  AnonCredsError,
  BIGINT_BITS,
  credentialRequestEntropy,
  decimalToBigInt,
  digitsForBits,
  hasQualifiedIdentifier,
  LIMITS,
  parseCredential,
  parseCredentialDefinition,
  parseCredentialOffer,
  parseCredentialRequest,
  parseIdentifier,
  parseKeyCorrectnessProof,
  parseLinkSecret,
  parsePresentation,
  parsePresentationRequest,
  parseRestrictions,
  parseRestrictionTag,
  parseRevocationRegistryDefinition,
  parseRevocationStatusList,
  parseSchema,
  presentationRequestVersion,
  restrictionQueryOf,
  restrictionsToJson,
  serializeObject,
  tailsFileReference,
} from '../src/index.js'
import * as fx from './fixtures/anoncreds-rs.js'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

function code(f: () => unknown): { code: string; details: Record<string, unknown> | undefined } {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(AnonCredsError)
    const err = e as AnonCredsError
    return { code: err.code, details: err.details as Record<string, unknown> | undefined }
  }
  throw new Error('expected an AnonCredsError')
}
const paths = (d: Record<string, unknown> | undefined) => [
  ...new Set(((d?.issues as Array<{ path: string[] }>) ?? []).map((i) => i.path.join('.'))),
]

const G1 =
  '1 1D18E69FA5AA97421F4AEBE933B40264261C5440090222C6AC61FEBE2CFEAA04 1 1461756FB88E41A2CB508A7057318CAFB551F4CD0C7051CBEC23DDFBC92248BC 1 095E45DDF417D05FB10933FFC63D474548B7FFFF7888802F07FFFFFF7D07A8A8'
const G2 = fx.revocationStatusList.currentAccumulator
const PAIR = Array.from({ length: 12 }, () => '1 095E45DDF417D05FB10933FFC63D474548B7FFFF7888802F07FFFFFF7D07A8A8').join(' ')

describe('AnonCreds v1 §Schema (anoncreds-rs src/data_types/schema.rs fixture)', () => {
  it('parses and round-trips', () => {
    const s = parseSchema(JSON.stringify(fx.schema))
    expect(s.attrNames).toEqual(['aaa', 'bbb', 'ccc'])
    expect(JSON.parse(serializeObject(s))).toEqual(fx.schema)
  })
  it('reads a legacy Indy ledger schema (ver, id, seqNo) and keeps unknown members', () => {
    const legacy = { ...fx.schema, ver: '1.0', id: 'DXoTtQJNtXtiwWaZAK3rB1:2:gvt:1.0', seqNo: 15, extra: { a: 1 } }
    expect(parseSchema(legacy)).toEqual(legacy)
  })
  it('refuses empty, duplicate or more than 125 attribute names, and an invalid issuerId', () => {
    expect(code(() => parseSchema({ ...fx.schema, attrNames: [] })).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseSchema({ ...fx.schema, attrNames: ['a', 'a'] })).code).toBe('anoncreds.invalid_object')
    const many = Array.from({ length: 126 }, (_, i) => `a${i}`)
    expect(code(() => parseSchema({ ...fx.schema, attrNames: many })).code).toBe('anoncreds.too_large')
    // anoncreds-rs test_schema_invalid_issuer_id
    expect(paths(code(() => parseSchema({ ...fx.schema, issuerId: 'bob' })).details)).toEqual(['issuerId'])
  })
  it('refuses a missing member (anoncreds-rs test_schema_invalid_missing_properties)', () => {
    expect(code(() => parseSchema({ name: 'gvt' })).code).toBe('anoncreds.invalid_object')
  })
})

describe('AnonCreds v1 §Credential Definition', () => {
  it('parses and round-trips the anoncreds-rs cred_def.rs public key (spaces removed)', () => {
    const cd = parseCredentialDefinition(JSON.stringify(fx.credentialDefinition))
    expect(cd.type).toBe('CL')
    // the unit-test key is not a real 2048-bit modulus (2050 bits once its spaces are gone); only the bound matters
    expect(decimalToBigInt(cd.value.primary.n).toString(2).length).toBeLessThanOrEqual(4096)
    expect(Object.keys(cd.value.primary.r).sort()).toEqual(['age', 'master_secret', 'name'])
    expect(JSON.parse(serializeObject(cd))).toEqual(fx.credentialDefinition)
  })
  it('refuses the verbatim fixture whose numbers contain spaces (BN_dec2bn would truncate them)', () => {
    const r = code(() => parseCredentialDefinition(fx.credentialDefinitionWithSpaces))
    expect(r.code).toBe('anoncreds.invalid_object')
    expect(paths(r.details)).toContain('value.primary.n')
  })
  it('refuses an oversize modulus before any BigInt conversion', () => {
    const cd = clone(fx.credentialDefinition)
    cd.value.primary.n = '9'.repeat(digitsForBits(4096) + 1)
    const r = code(() => parseCredentialDefinition(cd))
    expect(r.code).toBe('anoncreds.too_large')
    expect(paths(r.details)).toContain('value.primary.n')
    // a 4096-bit modulus is fine
    cd.value.primary.n = (2n ** 4096n - 1n).toString()
    expect(parseCredentialDefinition(cd).value.primary.n).toBe(cd.value.primary.n)
    // a million-digit number is refused by length, quickly
    cd.value.primary.n = '1'.repeat(1_000_000)
    const t = performance.now()
    expect(code(() => parseCredentialDefinition(cd)).code).toBe('anoncreds.too_large')
    expect(performance.now() - t).toBeLessThan(500)
  })
  it('refuses non-decimal big integers: sign, leading zero, hex, number, exponent, whitespace', () => {
    for (const bad of ['-1', '+1', '01', '0x1F', '1e5', ' 1', '1 ', '', '１']) {
      const cd = clone(fx.credentialDefinition)
      cd.value.primary.s = bad
      expect(code(() => parseCredentialDefinition(cd)).code, bad).toBe('anoncreds.invalid_object')
    }
    const cd = clone(fx.credentialDefinition) as unknown as { value: { primary: { z: unknown } } }
    cd.value.primary.z = 12345
    expect(code(() => parseCredentialDefinition(cd)).code).toBe('anoncreds.invalid_object')
  })
  it('refuses a type other than "CL" and an invalid schemaId', () => {
    expect(code(() => parseCredentialDefinition({ ...fx.credentialDefinition, type: 'BBS' })).code).toBe(
      'anoncreds.invalid_object',
    )
    expect(code(() => parseCredentialDefinition({ ...fx.credentialDefinition, schemaId: '15' })).code).toBe(
      'anoncreds.invalid_object',
    )
  })
  it('parses revocation keys (AMCL point strings) and refuses malformed points', () => {
    const revocation = { g: G1, g_dash: G2, h: G1, h0: G1, h1: G1, h2: G1, htilde: G1, h_cap: G2, u: G2, pk: G1, y: G2 }
    const cd = { ...fx.credentialDefinition, value: { ...fx.credentialDefinition.value, revocation } }
    expect(parseCredentialDefinition(cd).value.revocation?.g).toBe(G1)
    const bad = { ...cd, value: { ...cd.value, revocation: { ...revocation, g: G2 } } }
    expect(paths(code(() => parseCredentialDefinition(bad)).details)).toEqual(['value.revocation.g'])
  })
  it('key correctness proof: xr_cap is an array of [name, value] pairs, not an object', () => {
    const kcp = {
      c: '1',
      xz_cap: '2',
      xr_cap: [
        ['age', '3'],
        ['master_secret', '4'],
      ],
    }
    expect(parseKeyCorrectnessProof(kcp)).toEqual(kcp)
    expect(code(() => parseKeyCorrectnessProof({ ...kcp, xr_cap: { age: '3' } })).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseKeyCorrectnessProof({ ...kcp, xr_cap: [['age', '3', 'x']] })).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseKeyCorrectnessProof({ ...kcp, c: (2n ** 256n).toString() + '0' })).code).toBe('anoncreds.too_large')
  })
})

describe('AnonCreds v1 §Credential Offer and §Credential Request', () => {
  const offer = {
    schema_id: 'DXoTtQJNtXtiwWaZAK3rB1:2:example:1.0',
    cred_def_id: 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:98153:default',
    key_correctness_proof: { c: '1', xz_cap: '2', xr_cap: [['name', '3']] },
    nonce: '604812518357657692681285',
  }
  it('parses an offer with legacy identifiers; method_name is optional', () => {
    expect(parseCredentialOffer(offer)).toEqual(offer)
    expect(parseCredentialOffer({ ...offer, method_name: 'x' }).method_name).toBe('x')
  })
  it('refuses a missing nonce, a non-decimal nonce and a nonce above 80 bits', () => {
    const { nonce: _, ...noNonce } = offer
    expect(paths(code(() => parseCredentialOffer(noNonce)).details)).toEqual(['nonce'])
    // anoncreds-rs nonce.rs nonce_validate invalid values
    for (const bad of ['-1', 'notanumber', '', '-', '+1', '1a']) {
      expect(code(() => parseCredentialOffer({ ...offer, nonce: bad })).code, bad).toBe('anoncreds.invalid_object')
    }
    expect(parseCredentialOffer({ ...offer, nonce: (2n ** 80n - 1n).toString() }).nonce).toBe('1208925819614629174706175')
    expect(code(() => parseCredentialOffer({ ...offer, nonce: (2n ** 80n).toString() })).code).toBe('anoncreds.too_large')
    expect(code(() => parseCredentialOffer({ ...offer, nonce: 12345 })).code).toBe('anoncreds.invalid_object')
  })

  const request = {
    entropy: 'entropy',
    cred_def_id: 'mock:uri',
    blinded_ms: { u: '5', ur: null, hidden_attributes: ['master_secret'], committed_attributes: {} },
    blinded_ms_correctness_proof: { c: '1', v_dash_cap: '2', m_caps: { master_secret: '3' }, r_caps: {} },
    nonce: '1234',
  }
  it('parses a request with entropy and round-trips', () => {
    const r = parseCredentialRequest(JSON.stringify(request))
    expect(credentialRequestEntropy(r)).toBe('entropy')
    expect(JSON.parse(serializeObject(r))).toEqual(request)
  })
  it('applies CredentialRequest::validate: entropy xor prover_did, prover_did only with legacy ids', () => {
    const { entropy: _, ...noEntropy } = request
    expect(code(() => parseCredentialRequest(noEntropy)).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseCredentialRequest({ ...request, prover_did: 'DXoTtQJNtXtiwWaZAK3rB1' })).code).toBe(
      'anoncreds.invalid_object',
    )
    const legacy = { ...noEntropy, cred_def_id: 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:98153:default' }
    expect(code(() => parseCredentialRequest(legacy)).code).toBe('anoncreds.invalid_object')
    expect(credentialRequestEntropy(parseCredentialRequest({ ...legacy, prover_did: 'DXoTtQJNtXtiwWaZAK3rB1' }))).toBe(
      'DXoTtQJNtXtiwWaZAK3rB1',
    )
    expect(parseCredentialRequest({ ...legacy, prover_did: 'mock:uri' }).prover_did).toBe('mock:uri')
    // any prover_did up to 256 characters: libindy made requests with 32-byte DIDs, anoncreds-rs reads them unchecked
    expect(
      parseCredentialRequest({ ...legacy, prover_did: 'cqxeo2o5HZecag7Tz9i2Wq4jz41NixLrcenGWK6BbJW' }).prover_did,
    ).toHaveLength(43)
    expect(code(() => parseCredentialRequest({ ...legacy, prover_did: '' })).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseCredentialRequest({ ...legacy, prover_did: 'x'.repeat(257) })).code).toBe('anoncreds.invalid_object')
  })
})

describe('AnonCreds v1 §Constructing a Credential (signature from anoncreds-rs w3c/proof.rs)', () => {
  it('parses and round-trips', () => {
    const c = parseCredential(JSON.stringify(fx.credential))
    expect(c.signature.p_credential.e).toBe(fx.credentialSignature.p_credential.e)
    expect(c.values.age).toEqual({ raw: '28', encoded: '28' })
    expect(JSON.parse(serializeObject(c))).toEqual(fx.credential)
  })
  it('refuses empty values, a non-decimal encoding, and a revocable credential without witness', () => {
    expect(code(() => parseCredential({ ...fx.credential, values: {} })).code).toBe('anoncreds.invalid_object')
    const bad = clone(fx.credential)
    bad.values.age.encoded = '28.0'
    expect(paths(code(() => parseCredential(bad)).details)).toEqual(['values.age.encoded'])
    const rev = {
      ...fx.credential,
      rev_reg_id: 'DXoTtQJNtXtiwWaZAK3rB1:4:DXoTtQJNtXtiwWaZAK3rB1:3:CL:288602:example:CL_ACCUM:default',
    }
    expect(paths(code(() => parseCredential(rev)).details)).toEqual(['rev_reg_id'])
    expect(parseCredential({ ...rev, rev_reg: { accum: G2 }, witness: { omega: G2 } }).witness?.omega).toBe(G2)
  })
  it('accepts negative i32 encodings (anoncreds-rs encodes "-2147483648" as itself) but not "-0"', () => {
    const c = clone(fx.credential)
    c.values.age = { raw: '-2147483648', encoded: '-2147483648' }
    expect(parseCredential(c).values.age?.encoded).toBe('-2147483648')
    c.values.age = { raw: '-0', encoded: '-0' }
    expect(code(() => parseCredential(c)).code).toBe('anoncreds.invalid_object')
  })
})

describe('AnonCreds v1 §Create Presentation Request', () => {
  it('parses the anoncreds-rs create_presentation doc example and round-trips', () => {
    const r = parsePresentationRequest(JSON.stringify(fx.presentationRequest))
    expect(presentationRequestVersion(r)).toBe(1)
    expect(r.requested_predicates?.predicate1_referent?.p_type).toBe('>=')
    expect(JSON.parse(serializeObject(r))).toEqual(fx.presentationRequest)
  })
  it('the spec "Proof of Education" example puts non_revoked among requested attributes and is refused', () => {
    const r = code(() => parsePresentationRequest(fx.specPresentationRequest))
    expect(paths(r.details)).toEqual(['requested_attributes.non_revoked'])
    const { non_revoked, ...attrs } = fx.specPresentationRequest.requested_attributes
    const fixed = { ...fx.specPresentationRequest, requested_attributes: attrs, non_revoked }
    expect(parsePresentationRequest(fixed)).toEqual(fixed)
  })
  it('refuses an unknown p_type, a p_value outside i32, names and name both set, neither set, nothing requested', () => {
    const base = fx.presentationRequest
    const pred = base.requested_predicates.predicate1_referent
    expect(code(() => parsePresentationRequest({ ...base, requested_predicates: { p: { ...pred, p_type: '==' } } })).code).toBe(
      'anoncreds.invalid_object',
    )
    expect(code(() => parsePresentationRequest({ ...base, requested_predicates: { p: { ...pred, p_type: 'GE' } } })).code).toBe(
      'anoncreds.invalid_object',
    )
    expect(
      code(() => parsePresentationRequest({ ...base, requested_predicates: { p: { ...pred, p_value: 2 ** 31 } } })).code,
    ).toBe('anoncreds.invalid_object')
    const both = { ...base, requested_attributes: { a: { name: 'x', names: ['y'] } } }
    expect(paths(code(() => parsePresentationRequest(both)).details)).toEqual(['requested_attributes.a'])
    const neither = { ...base, requested_attributes: { a: { name: '', names: [] } } }
    expect(paths(code(() => parsePresentationRequest(neither)).details)).toEqual(['requested_attributes.a'])
    expect(code(() => parsePresentationRequest({ ...base, requested_attributes: {}, requested_predicates: {} })).code).toBe(
      'anoncreds.invalid_object',
    )
  })
  it('refuses a missing nonce, a non-decimal nonce (pres_request.rs presentation_request_invalid_nonce) and an unknown ver', () => {
    const { nonce: _, ...noNonce } = fx.presentationRequest
    expect(paths(code(() => parsePresentationRequest(noNonce)).details)).toEqual(['nonce'])
    expect(code(() => parsePresentationRequest({ ...fx.presentationRequest, nonce: '123abc' })).code).toBe(
      'anoncreds.invalid_object',
    )
    expect(code(() => parsePresentationRequest({ ...fx.presentationRequest, ver: '3.0' })).code).toBe('anoncreds.invalid_object')
  })
  it('qualified identifiers in a version 1.0 request are reported by hasQualifiedIdentifier, not refused by parse', () => {
    // anoncreds-rs' own doc example restricts cred_def_id to "did:web:…" without ver; it never calls validate()
    const v1 = parsePresentationRequest({ ...fx.presentationRequest, ver: '1.0' })
    const q = restrictionQueryOf(v1.requested_attributes?.attr1_referent ?? {})
    expect(q && hasQualifiedIdentifier(q)).toBe(true)
    expect(presentationRequestVersion(parsePresentationRequest({ ...fx.presentationRequest, ver: '2.0' }))).toBe(2)
    const legacy = restrictionQueryOf({ restrictions: { issuer_did: 'DXoTtQJNtXtiwWaZAK3rB1' } })
    expect(legacy && hasQualifiedIdentifier(legacy)).toBe(false)
    // faithful to anoncreds-rs: its URI regex also matches legacy ids with colons ("DXoT…:3:CL:98153:default")
    const legacyCredDef = restrictionQueryOf({ restrictions: { cred_def_id: 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:98153:default' } })
    expect(legacyCredDef && hasQualifiedIdentifier(legacyCredDef)).toBe(true)
  })
  it('refuses an oversize JSON input and invalid JSON text', () => {
    const big = JSON.stringify({ ...fx.presentationRequest, name: 'x'.repeat(LIMITS.maxJsonBytes) })
    expect(code(() => parsePresentationRequest(big)).code).toBe('anoncreds.too_large')
    expect(code(() => parsePresentationRequest('{"nonce":')).code).toBe('anoncreds.malformed')
  })
  it('errors carry paths, never values', () => {
    const secret = 'did:web:secret-value-123'
    const r = code(() => parsePresentationRequest({ ...fx.presentationRequest, nonce: secret }))
    expect(JSON.stringify(r.details)).not.toContain('secret-value')
  })
})

describe('AnonCreds v1 restrictions (anoncreds-rs src/utils/query.rs)', () => {
  it('parses $and / $or / $not / $exist / operators and attribute markers', () => {
    const q = {
      $or: [
        { schema_name: 'degree schema', 'attr::degree::value': 'Maths' },
        { $not: { issuer_did: 'DXoTtQJNtXtiwWaZAK3rB1' } },
        { cred_def_id: { $in: ['a:b', 'c:d'] } },
        { 'attr::age::marker': '1', schema_version: { $gte: '1.0' } },
        { $exist: ['attr::name::marker'] },
      ],
    }
    const parsed = parseRestrictions(q)
    expect(parsed.op).toBe('or')
    expect(restrictionsToJson(parsed)).toEqual({
      $or: [
        { $and: [{ schema_name: 'degree schema' }, { 'attr::degree::value': 'Maths' }] },
        { $not: { issuer_did: 'DXoTtQJNtXtiwWaZAK3rB1' } },
        { cred_def_id: { $in: ['a:b', 'c:d'] } },
        { $and: [{ 'attr::age::marker': '1' }, { schema_version: { $gte: '1.0' } }] },
        { $exist: ['attr::name::marker'] },
      ],
    })
    expect(parseRestrictionTag('attr::first name::value')).toEqual({ kind: 'attribute', name: 'first name', type: 'value' })
    expect(parseRestrictionTag('cred_def_id')).toEqual({ kind: 'field', name: 'cred_def_id' })
    expect(parseRestrictionTag('attr::x::other').kind).toBe('unknown')
  })
  it('reads the legacy array form as $or, dropping null members and empty objects', () => {
    expect(parseRestrictions([{ schema_id: 's:1', cred_def_id: null }, {}, { issuer_did: null }])).toEqual({
      op: 'or',
      queries: [{ op: 'eq', tag: 'schema_id', value: 's:1' }],
    })
  })
  it('refuses unknown operators, non-string values, multi-member operator objects', () => {
    for (const bad of [
      { a: { $eq: 'x' } },
      { a: 1 },
      { a: { $neq: 'x', $gt: 'y' } },
      { $and: {} },
      { $not: [] },
      { a: { $in: [1] } },
      'x',
    ]) {
      expect(code(() => parseRestrictions(bad)).code, JSON.stringify(bad)).toBe('anoncreds.invalid_object')
    }
  })
  it('a bad restriction inside a request is reported at its path', () => {
    const req = { ...fx.presentationRequest, requested_attributes: { a: { name: 'n', restrictions: { x: { $regex: 'y' } } } } }
    expect(paths(code(() => parsePresentationRequest(req)).details)).toEqual(['requested_attributes.a.restrictions.x.$regex'])
  })
})

describe('AnonCreds v1 §The Presentation (sub proof from anoncreds-rs w3c/proof.rs)', () => {
  it('parses and round-trips', () => {
    const p = parsePresentation(JSON.stringify(fx.presentation))
    const sub = p.proof.proofs[0]
    expect(sub?.primary_proof.ge_proofs[0]?.predicate).toEqual({ attr_name: 'age', p_type: 'GE', value: 18 })
    expect(Object.keys(sub?.primary_proof.eq_proof.m ?? {}).sort()).toEqual(['age', 'height', 'master_secret', 'sex'])
    expect(JSON.parse(serializeObject(p))).toEqual(fx.presentation)
  })
  it('ge proof predicates use the Rust enum names; ">=" there is refused', () => {
    const p = clone(fx.presentation) as any
    p.proof.proofs[0].primary_proof.ge_proofs[0].predicate.p_type = '>='
    expect(paths(code(() => parsePresentation(p)).details)).toEqual(['proof.proofs.0.primary_proof.ge_proofs.0.predicate.p_type'])
  })
  it('c_list entries are byte arrays', () => {
    const p = clone(fx.presentation) as any
    p.proof.aggregated_proof.c_list = [[0, 255, 17]]
    expect(parsePresentation(p).proof.aggregated_proof.c_list).toEqual([[0, 255, 17]])
    p.proof.aggregated_proof.c_list = [[256]]
    expect(code(() => parsePresentation(p)).code).toBe('anoncreds.invalid_object')
  })
  it('parses a non-revocation proof and identifiers with timestamps', () => {
    const p = clone(fx.presentation) as any
    const goe = '0'.repeat(63) + '1'
    p.proof.proofs[0].non_revoc_proof = {
      x_list: Object.fromEntries(
        [
          'rho',
          'r',
          'r_prime',
          'r_prime_prime',
          'r_prime_prime_prime',
          'o',
          'o_prime',
          'm',
          'm_prime',
          't',
          't_prime',
          'm2',
          's',
          'c',
        ].map((k) => [k, goe]),
      ),
      c_list: { e: G1, d: G1, a: G1, g: G1, w: G2, s: G2, u: G2 },
    }
    p.identifiers[0].rev_reg_id = 'mock:revreg'
    p.identifiers[0].timestamp = 1_700_000_000
    expect(JSON.parse(serializeObject(parsePresentation(p)))).toEqual(p)
  })
  it('refuses a missing requested_proof.revealed_attrs (no serde default there)', () => {
    const p = clone(fx.presentation) as any
    delete p.requested_proof.revealed_attrs
    expect(paths(code(() => parsePresentation(p)).details)).toEqual(['requested_proof.revealed_attrs'])
  })
  it('refuses deeply nested or huge decoded input before validating it', () => {
    let deep: unknown = {}
    for (let i = 0; i < 100; i++) deep = { a: deep }
    expect(code(() => parsePresentation({ ...fx.presentation, extra: deep })).code).toBe('anoncreds.too_large')
    expect(code(() => parsePresentation({ ...fx.presentation, extra: new Array(LIMITS.maxJsonNodes).fill(0) })).code).toBe(
      'anoncreds.too_large',
    )
  })
})

describe('AnonCreds v1 §Revocation Registry Definition and Status List', () => {
  it('refuses the anoncreds-rs rev_status_list.rs fixture verbatim: revRegDefId "reg" is not an identifier', () => {
    expect(paths(code(() => parseRevocationStatusList(fx.revocationStatusList)).details)).toEqual(['revRegDefId'])
  })
  it('parses it with a URI revRegDefId and round-trips; reads the alias accum as currentAccumulator', () => {
    const list = { ...fx.revocationStatusList, revRegDefId: 'mock:reg' }
    const parsed = parseRevocationStatusList(JSON.stringify(list))
    expect(parsed.revocationList).toEqual([1, 1, 1, 1])
    expect(JSON.parse(serializeObject(parsed))).toEqual(list)
    const { currentAccumulator, ...rest } = list
    expect(parseRevocationStatusList({ ...rest, accum: currentAccumulator }).currentAccumulator).toBe(currentAccumulator)
    expect(code(() => parseRevocationStatusList({ ...list, accum: currentAccumulator })).code).toBe('anoncreds.invalid_object')
  })
  it('refuses revocation states other than 0/1 and a missing issuerId (json_rev_list_can_not_be_deserialized_without_issuer_id)', () => {
    const list = { ...fx.revocationStatusList, revRegDefId: 'mock:reg' }
    expect(code(() => parseRevocationStatusList({ ...list, revocationList: [0, 2] })).code).toBe('anoncreds.invalid_object')
    const { issuerId: _, ...noIssuer } = list
    expect(code(() => parseRevocationStatusList(noIssuer)).code).toBe('anoncreds.invalid_object')
  })
  it('parses a registry definition and its tails file reference', () => {
    const def = {
      issuerId: 'mock:uri',
      revocDefType: 'CL_ACCUM',
      tag: 'default',
      credDefId: 'mock:uri',
      value: {
        maxCredNum: 10,
        publicKeys: { accumKey: { z: PAIR } },
        tailsHash: '4QE6KpJ3pNVFUxSDNS7Crz4S5Bj3xj5fYX5uLiqXquZH',
        tailsLocation: '/tmp/tails',
      },
    }
    const parsed = parseRevocationRegistryDefinition(def)
    expect(tailsFileReference(parsed)).toEqual({ tailsHash: def.value.tailsHash, tailsLocation: '/tmp/tails' })
    expect(code(() => parseRevocationRegistryDefinition({ ...def, revocDefType: 'CL' })).code).toBe('anoncreds.invalid_object')
    expect(code(() => parseRevocationRegistryDefinition({ ...def, value: { ...def.value, maxCredNum: -1 } })).code).toBe(
      'anoncreds.invalid_object',
    )
  })
})

describe('AnonCreds identifiers (anoncreds-rs src/utils/validation.rs, issuer_id.rs)', () => {
  it('classifies URI and legacy identifiers and extracts their parts', () => {
    expect(parseIdentifier('schema', 'DXoTtQJNtXtiwWaZAK3rB1:2:example:1.0')).toMatchObject({
      format: 'legacy',
      did: 'DXoTtQJNtXtiwWaZAK3rB1',
      name: 'example',
      version: '1.0',
    })
    expect(parseIdentifier('credentialDefinition', 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:98153:default')).toMatchObject({
      format: 'legacy',
      schemaRef: { seqNo: 98153 },
      tag: 'default',
    })
    expect(
      parseIdentifier('credentialDefinition', 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:DXoTtQJNtXtiwWaZAK3rB1:2:example:1.0:tag'),
    ).toMatchObject({
      schemaRef: { schemaId: 'DXoTtQJNtXtiwWaZAK3rB1:2:example:1.0' },
      tag: 'tag',
    })
    expect(
      parseIdentifier(
        'revocationRegistryDefinition',
        'DXoTtQJNtXtiwWaZAK3rB1:4:DXoTtQJNtXtiwWaZAK3rB1:3:CL:288602:example:CL_ACCUM:default',
      ),
    ).toMatchObject({ format: 'legacy', credDefId: 'DXoTtQJNtXtiwWaZAK3rB1:3:CL:288602:example', tag: 'default' })
    expect(parseIdentifier('schema', 'did:indy:sovrin:F72i3Y3Q4i466efjYJYCHM/anoncreds/v0/SCHEMA/x/1.0').format).toBe('uri')
  })
  it('issuer_id.rs should_validate_new_and_legacy_identifiers', () => {
    for (const ok of [
      'did:uri:new',
      'did:indy:idunion:test:2MZYuPv2Km7Q1eD4GCsSb6',
      'did:web:example.com#controller',
      'NcYxiDXkpYi6ov5FcYDi1e',
      'VsKV7grR1BUE29mG2Fm2kX',
    ]) {
      expect(parseIdentifier('issuer', ok).id).toBe(ok)
    }
    for (const bad of [
      '::::',
      'abc',
      '0000000000000000000000',
      'OOOOOOOOOOOOOOOOOOOOOO',
      'IIIIIIIIIIIIIIIIIIIIII',
      'llllllllllllllllllllll',
    ]) {
      expect(code(() => parseIdentifier('issuer', bad)).code, bad).toBe('anoncreds.invalid_object')
    }
  })
})

describe('link secret and limits', () => {
  it('parses a decimal link secret without echoing it', () => {
    expect(parseLinkSecret('123')).toBe('123')
    const r = code(() => parseLinkSecret('12a-hidden'))
    expect(JSON.stringify(r.details)).not.toContain('hidden')
    expect(code(() => parseLinkSecret('9'.repeat(400))).code).toBe('anoncreds.too_large')
  })
  it('the limit table is self-consistent', () => {
    expect(digitsForBits(4096)).toBe(1234)
    expect(digitsForBits(BIGINT_BITS.nonce)).toBe(25)
    expect((2n ** 4096n - 1n).toString().length).toBe(1234)
  })
})
