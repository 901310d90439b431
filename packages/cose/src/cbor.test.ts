import { hexDecode, hexEncode, isVcError } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CborValue, decodeCbor, Tagged } from './cbor.js'
import { encodeCbor } from './cbor-encode.js'
import { decodeCoseSign1, HEADER, signCoseSign1, verifyCoseSign1 } from './sign1.js'

const hex = (h: string) => hexDecode(h)

describe('CBOR (RFC 8949)', () => {
  it.each([
    ['00', 0],
    ['17', 23],
    ['1818', 24],
    ['1903e8', 1000],
    ['1a000f4240', 1000000],
    ['1b000000e8d4a51000', 1000000000000],
    ['20', -1],
    ['3903e7', -1000],
    ['f4', false],
    ['f5', true],
    ['f6', null],
    ['6161', 'a'],
    ['62c3bc', 'ü'],
    ['f97c00', Number.POSITIVE_INFINITY],
    ['fb3ff199999999999a', 1.1],
  ])('RFC 8949 Appendix A: %s', (h, v) => {
    expect(decodeCbor(hex(h))).toEqual(v)
  })
  it('round-trips maps with integer keys, tags and bytes', () => {
    const v = new Map<CborValue, CborValue>([
      [1, -7],
      ['lst', new Uint8Array([1, 2, 3])],
      [65533, new Tagged(24, new Uint8Array([0xa0]))],
    ])
    const e = encodeCbor(v)
    expect(encodeCbor(decodeCbor(e))).toEqual(e)
  })
  it('canonical map ordering sorts keys by encoded length then bytes', () => {
    expect(hexEncode(encodeCbor({ lst: 1, bits: 2 }, { canonical: true }))).toBe('a2636c737401646269747302')
  })
  it.each([
    ['truncated', '1a0001', 'cose.cbor_truncated'],
    ['trailing bytes', '0000', 'cose.cbor_trailing_bytes'],
    ['indefinite length', '9f01ff', 'cose.cbor_unsupported'],
    ['duplicate key', 'a201010102', 'cose.cbor_duplicate_key'],
    ['invalid utf-8', '62c328', 'cose.cbor_malformed'],
    ['length beyond input', '5bffffffffffffffff', 'cose.cbor_truncated'],
    ['reserved info', '1c', 'cose.cbor_malformed'],
  ])('rejects %s', (_n, h, code) => {
    expect(() => decodeCbor(hex(h))).toThrow(expect.objectContaining({ code }))
  })
  it('bounds depth, size and canonical form', () => {
    expect(() => decodeCbor(new Uint8Array(200).fill(0x81))).toThrow(expect.objectContaining({ code: 'cose.cbor_too_deep' }))
    expect(() => decodeCbor(new Uint8Array(100), { maxBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'cose.cbor_too_large' }),
    )
    expect(() => decodeCbor(hex('1817'), { requireCanonical: true })).toThrow(
      expect.objectContaining({ code: 'cose.cbor_not_canonical' }),
    )
    expect(decodeCbor(hex('1817'))).toBe(23)
  })
  it('property: encode/decode round trip', () => {
    const arb = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 20 }),
        fc.array(tie('v'), { maxLength: 4 }),
      ),
    })).v as fc.Arbitrary<CborValue>
    fc.assert(
      fc.property(arb, (v) => {
        expect(decodeCbor(encodeCbor(v))).toEqual(v)
      }),
    )
  })
  it('fuzz: random and mutated bytes only ever give typed errors', () => {
    const good = encodeCbor(
      new Map<CborValue, CborValue>([
        [1, [1, 'two', new Uint8Array(3)]],
        ['k', new Tagged(24, new Uint8Array([1]))],
      ]),
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
            const c = good.slice()
            c[i] = b
            return c
          }),
        ),
        (b) => {
          try {
            decodeCbor(b)
            return true
          } catch (e) {
            return isVcError(e)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('COSE_Sign1 (RFC 9052 §4)', () => {
  const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  it('signs and verifies, attached and detached, with external AAD', async () => {
    const payload = new Uint8Array([1, 2, 3])
    const s = decodeCoseSign1(
      await signCoseSign1({ signer, payload, protectedHeader: new Map([[HEADER.typ, 'application/statuslist+cwt']]) }),
    )
    expect(s.alg).toBe('ES256')
    expect(s.protectedHeader.get(HEADER.typ)).toBe('application/statuslist+cwt')
    verifyCoseSign1(s, signer.publicJwk)
    const other = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    expect(() => verifyCoseSign1(s, other.publicJwk)).toThrow(expect.objectContaining({ code: 'cose.signature_invalid' }))
    const d = decodeCoseSign1(await signCoseSign1({ signer, payload, detached: true, externalAad: new Uint8Array([9]) }))
    expect(d.payload).toBeNull()
    verifyCoseSign1(d, signer.publicJwk, { detachedPayload: payload, externalAad: new Uint8Array([9]) })
    expect(() => verifyCoseSign1(d, signer.publicJwk, { detachedPayload: payload })).toThrow(
      expect.objectContaining({ code: 'cose.signature_invalid' }),
    )
  })
  it('rejects wrong structures, tags and algorithms', () => {
    expect(() => decodeCoseSign1(encodeCbor(new Tagged(17, [])))).toThrow(
      expect.objectContaining({ code: 'cose.structure_invalid' }),
    )
    expect(() => decodeCoseSign1(encodeCbor([new Uint8Array(0), new Map(), null]))).toThrow(
      expect.objectContaining({ code: 'cose.structure_invalid' }),
    )
    const noAlg = encodeCbor([new Uint8Array(0), new Map(), new Uint8Array(1), new Uint8Array(64)])
    expect(() => decodeCoseSign1(noAlg)).toThrow(expect.objectContaining({ code: 'cose.alg_unsupported' }))
    expect(() => decodeCoseSign1(noAlg, { requireTag: true })).toThrow(
      expect.objectContaining({ code: 'cose.structure_invalid' }),
    )
  })
})

describe('tag 24 keeps the bytes as received', () => {
  it('a non-shortest length head survives decode → encode', () => {
    // d8 18 59 0001 01: tag 24, byte string with a 2-byte length head for 1 byte
    const b = hexDecode('d81859000101')
    const t = decodeCbor(b) as Tagged
    expect(Array.from(t.raw ?? [])).toEqual(Array.from(b))
    expect(hexEncode(encodeCbor(t))).toBe('d81859000101')
    expect(hexEncode(encodeCbor(new Tagged(24, t.value)))).toBe('d8184101')
  })
})
