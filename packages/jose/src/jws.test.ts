import { b64uEncode, isVcError } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkAudience, checkJwtTimes } from './claims.js'
import { parseCompactJws, signCompactJws, verifyJwsSignature } from './jws.js'

const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const enc = (o: unknown) => b64uEncode(JSON.stringify(o))

describe('compact JWS', () => {
  it('signs and verifies', async () => {
    const jwt = await signCompactJws({ typ: 'JWT', alg: 'none' }, { sub: 'x' }, signer)
    const p = parseCompactJws(jwt)
    expect(p.header).toEqual({ alg: 'ES256', typ: 'JWT' })
    verifyJwsSignature(p, signer.publicJwk)
    const other = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    expect(() => verifyJwsSignature(p, other.publicJwk)).toThrow(expect.objectContaining({ code: 'jose.signature_invalid' }))
    expect(() => verifyJwsSignature(p, signer.publicJwk, { algorithms: ['EdDSA'] })).toThrow(
      expect.objectContaining({ code: 'jose.alg_not_allowed' }),
    )
  })

  it.each([
    ['two segments', 'a.b', 'jose.malformed'],
    ['four segments', 'a.b.c.d', 'jose.malformed'],
    ['empty signature', `${enc({ alg: 'ES256' })}.${enc({})}.`, 'jose.malformed'],
    ['padding', `${enc({ alg: 'ES256' })}=.${enc({})}.AA`, 'jose.malformed'],
    ['alg none', `${enc({ alg: 'none' })}.${enc({})}.AA`, 'jose.alg_none'],
    ['alg HS256', `${enc({ alg: 'HS256' })}.${enc({})}.AA`, 'jose.alg_forbidden'],
    ['alg RS256', `${enc({ alg: 'RS256' })}.${enc({})}.AA`, 'jose.alg_not_allowed'],
    ['unknown crit', `${enc({ alg: 'ES256', crit: ['exp'], exp: 1 })}.${enc({})}.AA`, 'jose.crit_unsupported'],
    ['crit of a registered name', `${enc({ alg: 'ES256', crit: ['kid'], kid: 'x' })}.${enc({})}.AA`, 'jose.crit_unsupported'],
    ['header not JSON', `${b64uEncode('{')}.${enc({})}.AA`, 'jose.header_invalid'],
    ['header an array', `${enc([1])}.${enc({})}.AA`, 'jose.header_invalid'],
    ['payload not an object', `${enc({ alg: 'ES256' })}.${enc(1)}.AA`, 'jose.payload_invalid'],
  ])('RFC 7515 strict parsing rejects %s', (_n, token, code) => {
    expect(() => parseCompactJws(token)).toThrow(expect.objectContaining({ code }))
  })

  it('accepts a crit the caller understands', () => {
    const t = `${enc({ alg: 'ES256', crit: ['b'], b: 1 })}.${enc({})}.AA`
    expect(parseCompactJws(t, { understoodCrit: ['b'] }).header.crit).toEqual(['b'])
  })

  it('caps the token size', () => {
    expect(() => parseCompactJws('a'.repeat(100), { maxLength: 10 })).toThrow(
      expect.objectContaining({ code: 'jose.token_too_large' }),
    )
  })

  it('fuzz: random and mutated tokens only ever throw typed errors', async () => {
    const good = await signCompactJws({ typ: 'JWT' }, { a: 1 }, signer)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .tuple(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([i, c]) => good.slice(0, i) + c + good.slice(i + 1)),
        ),
        (t) => {
          try {
            verifyJwsSignature(parseCompactJws(t), signer.publicJwk)
            return t === good
          } catch (e) {
            return isVcError(e)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('RFC 7519 claims', () => {
  it('checks exp, nbf, iat and aud', () => {
    expect(() => checkJwtTimes({ exp: 100 }, { now: 200, skew: 0 })).toThrow(expect.objectContaining({ code: 'jose.expired' }))
    expect(() => checkJwtTimes({ nbf: 300 }, { now: 200, skew: 0 })).toThrow(
      expect.objectContaining({ code: 'jose.not_yet_valid' }),
    )
    expect(() => checkJwtTimes({ iat: 300 }, { now: 200, skew: 0 })).toThrow(
      expect.objectContaining({ code: 'jose.iat_invalid' }),
    )
    expect(() => checkJwtTimes({ iat: 100 }, { now: 200, skew: 0, maxAge: 50 })).toThrow(
      expect.objectContaining({ code: 'jose.iat_invalid' }),
    )
    expect(() => checkJwtTimes({ exp: '1' }, { now: 0 })).toThrow(expect.objectContaining({ code: 'jose.claim_invalid' }))
    expect(() => checkJwtTimes({}, { now: 0, requireExp: true })).toThrow(expect.objectContaining({ code: 'jose.claim_missing' }))
    checkJwtTimes({ exp: 250, nbf: 150, iat: 150 }, { now: 200 })
    checkAudience({ aud: ['a', 'b'] }, 'b')
    expect(() => checkAudience({ aud: 'a' }, 'b')).toThrow(expect.objectContaining({ code: 'jose.aud_mismatch' }))
  })
})
