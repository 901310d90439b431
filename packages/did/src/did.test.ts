import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base58Decode, base58Encode } from './base58.js'
import { createDidJwk, createDidKey, resolveDid, resolveDidKey } from './did.js'

describe('base58btc', () => {
  it('round-trips, keeps leading zeros, and matches a known value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(Array.from(base58Decode(base58Encode(b)))).toEqual(Array.from(b))
      }),
    )
    expect(base58Encode(new TextEncoder().encode('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U')
    expect(() => base58Decode('0OIl')).toThrow(expect.objectContaining({ code: 'did.base58_invalid' }))
  })
})

describe('did:key and did:jwk', () => {
  it.each(['ES256', 'EdDSA'] as const)(
    '%s: create → resolve gives the same key under assertionMethod and authentication',
    (alg) => {
      const jwk = signerFromPrivateJwk(generatePrivateJwk(alg)).publicJwk
      for (const did of [createDidKey(jwk), createDidJwk(jwk)]) {
        const doc = resolveDid(did)
        expect(doc.id).toBe(did)
        expect(doc.verificationMethod[0]?.publicKeyJwk).toEqual(jwk)
        expect(resolveDidKey(doc.verificationMethod[0]!.id, { purpose: 'assertionMethod' })).toEqual(jwk)
        expect(resolveDidKey(did, { purpose: 'authentication' })).toEqual(jwk)
      }
      expect(createDidKey(jwk).startsWith(alg === 'EdDSA' ? 'did:key:z6Mk' : 'did:key:zDn')).toBe(true)
    },
  )
  it('resolves the did:key spec examples', () => {
    expect(resolveDid('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp').verificationMethod[0]?.publicKeyJwk.crv).toBe(
      'Ed25519',
    )
    expect(resolveDid('did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169').verificationMethod[0]?.publicKeyJwk.crv).toBe(
      'P-256',
    )
  })
  it('refuses bad DIDs, unknown fragments and missing relationships', () => {
    for (const bad of ['did:key:xyz', 'did:key:z111', 'did:jwk:e30', 'did:jwk:!!', 'not-a-did', 'did:example:123']) {
      expect(() => resolveDid(bad)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^did\./) }))
    }
    const jwk = signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk
    const did = createDidJwk(jwk)
    expect(() => resolveDidKey(`${did}#1`, { purpose: 'assertionMethod' })).toThrow(
      expect.objectContaining({ code: 'did.fragment_unknown' }),
    )
    expect(() => resolveDidKey(`${did}#0`, { purpose: 'keyAgreement' })).toThrow(
      expect.objectContaining({ code: 'did.relationship_missing' }),
    )
  })
})
