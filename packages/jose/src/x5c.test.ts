import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { createX5cValidator, decodeX5c } from './x5c.js'

describe('x5c chain validation', async () => {
  const a = await createDevChain()
  const b = await createDevChain({ rootName: 'CN=Other Root' })
  const now = Date.now()

  it('accepts a chain to a configured anchor and returns the leaf key', () => {
    const v = createX5cValidator([a.root.pem])
    const r = v.validate(decodeX5c(a.x5c), now)
    expect(r.publicJwk.kty).toBe('EC')
    expect(v.validate(decodeX5c([a.leaf.b64, a.root.b64]), now).anchor.subject).toContain('Bonafide Test Root')
  })
  it('refuses an untrusted root', () => {
    expect(() => createX5cValidator([b.root.pem]).validate(decodeX5c(a.x5c), now)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_untrusted' }),
    )
  })
  it('refuses a self-signed leaf, even a trusted one', () => {
    expect(() => createX5cValidator([a.root.pem]).validate(decodeX5c([a.root.b64]), now)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_self_signed' }),
    )
  })
  it('refuses an expired chain', () => {
    expect(() => createX5cValidator([a.root.pem]).validate(decodeX5c(a.x5c), now + 400 * 86_400_000)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_expired' }),
    )
  })
  it('RFC 5280 §6.1.3(a)(2) checks validity at each call, even for a chain it has cached', () => {
    const v = createX5cValidator([a.root.pem])
    expect(v.validate(decodeX5c(a.x5c), now).publicJwk.kty).toBe('EC')
    expect(() => v.validate(decodeX5c(a.x5c), now + 400 * 86_400_000)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_expired' }),
    )
    expect(() => v.validate(decodeX5c(a.x5c), now - 400 * 86_400_000)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_expired' }),
    )
    expect(v.validate(decodeX5c(a.x5c), now).publicJwk.kty).toBe('EC')
  })
  it('caches by the exact chain bytes: a cached chain vouches for no other chain', () => {
    const v = createX5cValidator([a.root.pem])
    v.validate(decodeX5c(a.x5c), now)
    expect(() => v.validate(decodeX5c([a.leaf.b64, b.root.b64]), now)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_invalid' }),
    )
    expect(() => v.validate(decodeX5c(b.x5c), now)).toThrow(expect.objectContaining({ code: 'jose.x5c_untrusted' }))
    expect(v.validate(decodeX5c(a.x5c), now).publicJwk.kty).toBe('EC')
  })
  it('refuses a broken chain and bad encodings', () => {
    expect(() => createX5cValidator([a.root.pem]).validate(decodeX5c([a.leaf.b64, b.root.b64]), now)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_invalid' }),
    )
    expect(() => decodeX5c(['not base64!'])).toThrow(expect.objectContaining({ code: 'jose.x5c_invalid' }))
    expect(() => decodeX5c([])).toThrow(expect.objectContaining({ code: 'jose.x5c_invalid' }))
    expect(() => decodeX5c(['AAAA'])).not.toThrow()
    expect(() => createX5cValidator([a.root.pem]).validate(decodeX5c(['AAAA']), now)).toThrow(
      expect.objectContaining({ code: 'jose.x5c_invalid' }),
    )
  })
})
