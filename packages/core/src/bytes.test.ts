import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { b64uDecode, b64uEncode, bytesEqual, constantTimeEqual, hexDecode, hexEncode } from './bytes.js'
import { isVcError } from './errors.js'

describe('base64url', () => {
  it('round-trips any bytes', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(Array.from(b64uDecode(b64uEncode(b)))).toEqual(Array.from(b))
      }),
    ))

  it.each(['a', 'ab=', 'ab+c', 'ab/c', 'ab c', 'AB==', 'ab\n'])('RFC 4648 §5 rejects %j', (s) => {
    expect(() => b64uDecode(s)).toThrow(expect.objectContaining({ code: 'core.base64url_invalid' }))
  })

  it('rejects non-zero trailing bits (non-canonical)', () => {
    expect(b64uEncode(b64uDecode('AA'))).toBe('AA')
    expect(() => b64uDecode('AB')).toThrow()
  })

  it('uses a custom error code when given', () => {
    try {
      b64uDecode('*', 'sd_jwt.disclosure_invalid')
    } catch (e) {
      expect(isVcError(e, 'sd_jwt.disclosure_invalid')).toBe(true)
    }
  })
})

describe('bytes', () => {
  it('hex round trip and strictness', () => {
    expect(hexEncode(hexDecode('00ff10'))).toBe('00ff10')
    expect(() => hexDecode('0g')).toThrow()
    expect(() => hexDecode('abc')).toThrow()
  })
  it('constant-time equality', () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1]))).toBe(false)
    expect(constantTimeEqual('abc', 'abc')).toBe(true)
    expect(constantTimeEqual('abc', 'abd')).toBe(false)
  })
})
