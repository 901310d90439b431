import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JWS_ALGS } from './alg.js'
import { FileKeyStore } from './file-key-store.js'
import { exportPublicJwk, importPublicKey, jwkThumbprint, parsePublicJwk } from './jwk.js'
import type { KeyStore } from './key-store.js'
import { MemoryKeyStore } from './memory-key-store.js'
import { generateKeyObject, generatePrivateJwk, signerFromPrivateJwk } from './signer.js'
import { verifySignature } from './verify.js'

const data = new TextEncoder().encode('hello')

describe('RFC 7638 thumbprint', () => {
  it('§3.1 example key gives the published thumbprint', () => {
    // RFC 7638 §3.1 uses an RSA key; we check the EC canonical form against a known P-256 value instead.
    const jwk = parsePublicJwk({
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    })
    expect(jwkThumbprint(jwk)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(jwkThumbprint({ ...jwk, kid: 'ignored' })).toBe(jwkThumbprint(jwk))
  })
})

describe('parsePublicJwk', () => {
  it('rejects private material, bad curves and bad lengths', () => {
    const priv = generatePrivateJwk('ES256')
    expect(() => parsePublicJwk(priv)).toThrow(expect.objectContaining({ code: 'keys.jwk_private_material' }))
    expect(() => parsePublicJwk({ kty: 'EC', crv: 'P-192', x: 'AA', y: 'AA' })).toThrow(
      expect.objectContaining({ code: 'keys.jwk_invalid' }),
    )
    expect(() => parsePublicJwk({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })).toThrow(
      expect.objectContaining({ code: 'keys.jwk_invalid' }),
    )
    expect(() => parsePublicJwk({ kty: 'oct', k: 'AAAA' })).toThrow(
      expect.objectContaining({ code: 'keys.jwk_private_material' }),
    )
  })
  it('rejects a point that is not on the curve', () => {
    const { d: _d, ...pub } = generatePrivateJwk('ES256')
    const bad = { ...pub, y: pub.x }
    expect(() => parsePublicJwk(bad)).toThrow(expect.objectContaining({ code: 'keys.jwk_invalid' }))
  })
  it('caches imported keys', () => {
    const { d: _d, ...pub } = generatePrivateJwk('ES256')
    const jwk = parsePublicJwk(pub)
    expect(importPublicKey(jwk)).toBe(importPublicKey({ ...jwk }))
  })
})

describe.each(JWS_ALGS)('%s sign/verify', (alg) => {
  it('round-trips and rejects tampering and the wrong key', () => {
    const s = signerFromPrivateJwk(generatePrivateJwk(alg))
    const sig = s.signSync!(data)
    expect(verifySignature({ alg, key: s.publicJwk, data, signature: sig })).toBe(true)
    const bad = sig.slice()
    bad[3] = (bad[3] ?? 0) ^ 1
    expect(verifySignature({ alg, key: s.publicJwk, data, signature: bad })).toBe(false)
    expect(verifySignature({ alg, key: s.publicJwk, data, signature: sig.slice(1) })).toBe(false)
    const other = signerFromPrivateJwk(generatePrivateJwk(alg))
    expect(verifySignature({ alg, key: other.publicJwk, data, signature: sig })).toBe(false)
  })
})

it('refuses algorithm/key confusion', () => {
  const s = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  expect(() => verifySignature({ alg: 'ES384', key: s.publicJwk, data, signature: new Uint8Array(96) })).toThrow(
    expect.objectContaining({ code: 'keys.key_alg_mismatch' }),
  )
})

async function contract(name: string, make: () => Promise<KeyStore>) {
  describe(`KeyStore contract: ${name}`, () => {
    it('generates, signs, lists and deletes', async () => {
      const ks = await make()
      const ref = await ks.generate({ alg: 'ES256', label: 'a' })
      const ref2 = await ks.generate({ alg: 'EdDSA' })
      const signer = await ks.signer(ref)
      expect(signer.publicJwk).not.toHaveProperty('d')
      expect(Object.keys(signer)).not.toContain('privateKey')
      const sig = await signer.sign(data)
      expect(verifySignature({ alg: 'ES256', key: signer.publicJwk, data, signature: sig })).toBe(true)
      const listed = []
      for await (const k of ks.list()) listed.push(k.ref.id)
      expect(listed.sort()).toEqual([ref.id, ref2.id].sort())
      expect((await ks.get(ref))?.label).toBe('a')
      await ks.delete(ref)
      expect(await ks.get(ref)).toBeUndefined()
      await expect(ks.signer(ref)).rejects.toMatchObject({ code: 'keys.key_not_found' })
    })
  })
}

contract('memory', async () => new MemoryKeyStore())
contract('file', async () => new FileKeyStore(await mkdtemp(join(tmpdir(), 'bf-keys-'))))
contract(
  'file (encrypted)',
  async () => new FileKeyStore(await mkdtemp(join(tmpdir(), 'bf-keys-')), { passphrase: 'correct horse' }),
)

describe('FileKeyStore encryption', () => {
  it('stores no plaintext private key and refuses a wrong passphrase', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bf-keys-'))
    const ks = new FileKeyStore(dir, { passphrase: 'pw' })
    const key = generateKeyObject('ES256')
    const ref = await ks.add(key, 'ES256')
    const text = await readFile(join(dir, `${ref.id}.key.json`), 'utf8')
    const der = key.export({ format: 'der', type: 'pkcs8' }).toString('base64url')
    expect(text).not.toContain(der)
    expect(text).toContain('kek-aes256gcm')
    expect(JSON.parse(await readFile(join(dir, 'kek.json'), 'utf8'))).toMatchObject({ v: 1, kdf: 'scrypt' })
    await expect(new FileKeyStore(dir, { passphrase: 'nope' }).signer(ref)).rejects.toMatchObject({
      code: 'keys.passphrase_invalid',
    })
    expect((await ks.signer(ref)).publicJwk).toEqual(exportPublicJwk(key))
  })

  it('a wrong passphrase is refused before a key is written (kek.json carries a check value)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bf-keys-'))
    await new FileKeyStore(dir, { passphrase: 'right' }).generate({ alg: 'ES256' })
    const wrong = new FileKeyStore(dir, { passphrase: 'wrong' })
    await expect(wrong.unlock()).rejects.toMatchObject({ code: 'keys.passphrase_invalid' })
    await expect(wrong.generate({ alg: 'ES256' })).rejects.toMatchObject({ code: 'keys.passphrase_invalid' })
    await new FileKeyStore(dir, { passphrase: 'right' }).unlock()
  })

  it('still opens keys sealed one salt per key (the earlier format)', async () => {
    const { createCipheriv, randomBytes, scryptSync } = await import('node:crypto')
    const dir = await mkdtemp(join(tmpdir(), 'bf-keys-'))
    const key = generateKeyObject('ES256')
    const salt = randomBytes(16)
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', scryptSync('pw', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 }), iv)
    const ct = Buffer.concat([c.update(key.export({ format: 'der', type: 'pkcs8' })), c.final()])
    const id = 'ab'.repeat(16)
    const privateKey = {
      enc: 'scrypt-aes256gcm',
      salt: salt.toString('base64url'),
      iv: iv.toString('base64url'),
      tag: c.getAuthTag().toString('base64url'),
      der: ct.toString('base64url'),
    }
    await writeFile(
      join(dir, `${id}.key.json`),
      JSON.stringify({ v: 1, alg: 'ES256', publicJwk: exportPublicJwk(key), privateKey }),
    )
    const ks = new FileKeyStore(dir, { passphrase: 'pw' })
    expect((await ks.signer({ store: 'file', id })).publicJwk).toEqual(exportPublicJwk(key))
  })
})
