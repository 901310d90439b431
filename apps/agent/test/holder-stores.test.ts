import { Buffer } from 'node:buffer'
import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto'
import type { KeyInfo, PublicJwk, Signer } from '@bonafide/keys'
import { runWalletStoreContract, testCopies, testPool } from '@bonafide/wallet/testing'
import { describe, expect, it } from 'vitest'
import { createKek } from '../src/db/kek.js'
import { PgHolderKeyStore } from '../src/db/repositories/holder-key-store.js'
import { PgWalletStore } from '../src/db/repositories/wallet-store.js'
import { DATABASES } from './databases.js'

const NOW = 1_800_000_000_000
const kek = createKek(randomBytes(32))

/** Check a raw (JOSE) signature with node:crypto against the signer's public JWK. */
function verifies(jwk: PublicJwk, data: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: jwk as never, format: 'jwk' })
  if (jwk.kty === 'OKP') return verify(null, data, key, sig)
  const hash = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' }[jwk.crv] ?? 'sha256'
  return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig)
}

async function signs(s: Signer): Promise<boolean> {
  const data = new TextEncoder().encode('holder proof')
  return verifies(s.publicJwk, data, await s.sign(data))
}

async function all(it: AsyncIterable<KeyInfo>): Promise<KeyInfo[]> {
  const out: KeyInfo[] = []
  for await (const k of it) out.push(k)
  return out
}

for (const d of DATABASES) {
  runWalletStoreContract(d.name, async () => new PgWalletStore((await d.open()).db))

  describe(`PgWalletStore: ${d.name}`, () => {
    it('20 concurrent takes on a pool of 5 one-time copies hand out exactly the 5 copies', async () => {
      const s = new PgWalletStore((await d.open()).db)
      await s.addPool(testPool('p'), testCopies('p', 5))
      const got = await Promise.all(Array.from({ length: 20 }, () => s.take('p', { now: NOW })))
      const ids = got.flatMap((c) => (c ? [c.id] : []))
      expect(new Set(ids)).toEqual(new Set(['p-c0', 'p-c1', 'p-c2', 'p-c3', 'p-c4']))
      expect(ids).toHaveLength(5)
      expect((await s.listCopies('p')).map((c) => [c.uses, c.state])).toEqual(Array(5).fill([1, 'used']))
    })
  })

  describe(`PgHolderKeyStore: ${d.name}`, () => {
    it('generated and added keys sign, and node:crypto verifies', async () => {
      const { db } = await d.open()
      const ks = new PgHolderKeyStore(db, { kek })
      const a = await ks.generate({ alg: 'ES256' })
      const b = await ks.add(generateKeyPairSync('ed25519').privateKey, 'EdDSA', 'holder')
      expect(a.store).toBe('agent')
      expect(await signs(await ks.signer(a))).toBe(true)
      expect(await signs(await ks.signer(b))).toBe(true)
      // a fresh instance (empty cache) imports the sealed key from the row
      const cold = new PgHolderKeyStore(db, { kek })
      expect(await signs(await cold.signer(b))).toBe(true)
      expect((await cold.signer(b)).publicJwk).toEqual((await ks.get(b))?.publicJwk)
    })

    it('refuses a key that does not match its algorithm', async () => {
      const ks = new PgHolderKeyStore((await d.open()).db, { kek })
      await expect(ks.add(generateKeyPairSync('ed25519').privateKey, 'ES256')).rejects.toMatchObject({
        code: 'keys.key_alg_mismatch',
      })
      expect(await all(ks.list())).toEqual([])
    })

    it('get, list and delete (delete drops the cached signer too)', async () => {
      const ks = new PgHolderKeyStore((await d.open()).db, { kek })
      const a = await ks.generate({ alg: 'ES256', label: 'one' })
      const b = await ks.generate({ alg: 'ES384' })
      expect(await ks.get(a)).toMatchObject({ ref: a, alg: 'ES256', label: 'one', publicJwk: { kty: 'EC', crv: 'P-256' } })
      expect((await ks.get(b))?.label).toBeUndefined()
      expect(await ks.get({ store: 'memory', id: a.id })).toBeUndefined()
      expect((await all(ks.list())).map((k) => k.ref.id).sort()).toEqual([a.id, b.id].sort())
      await ks.signer(a)
      await ks.delete(a)
      expect(await ks.get(a)).toBeUndefined()
      await expect(ks.signer(a)).rejects.toMatchObject({ code: 'keys.key_not_found' })
      expect((await all(ks.list())).map((k) => k.ref)).toEqual([b])
    })

    it('the signer is cached (one import per key); past the bound an evicted key is imported again', async () => {
      const ks = new PgHolderKeyStore((await d.open()).db, { kek, cacheSize: 1 })
      const a = await ks.generate({ alg: 'ES256' })
      const sa = await ks.signer(a)
      expect(await ks.signer(a)).toBe(sa)
      const b = await ks.generate({ alg: 'ES256' })
      expect(await signs(await ks.signer(b))).toBe(true)
      const again = await ks.signer(a)
      expect(again).not.toBe(sa)
      expect(await signs(again)).toBe(true)
    })

    it('private_enc is sealed: no PKCS#8 in clear; bound to its row by the AAD', async () => {
      const { db } = await d.open()
      const ks = new PgHolderKeyStore(db, { kek })
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      const der = key.export({ format: 'der', type: 'pkcs8' })
      const ref = await ks.add(key, 'ES256')
      const row = await db.selectFrom('holder_keys').selectAll().where('id', '=', ref.id).executeTakeFirstOrThrow()
      for (const enc of ['base64', 'base64url', 'hex'] as const) expect(row.private_enc).not.toContain(der.toString(enc))
      expect(Buffer.from(row.private_enc, 'base64url').includes(der)).toBe(false)
      expect(Buffer.from(kek.open(row.private_enc, `holder-key:${ref.id}`))).toEqual(der)
      // the same sealed bytes moved to another row do not open there
      const other = await ks.generate({ alg: 'ES256' })
      await db.updateTable('holder_keys').set({ private_enc: row.private_enc }).where('id', '=', other.id).execute()
      const cold = new PgHolderKeyStore(db, { kek })
      await expect(cold.signer(other)).rejects.toMatchObject({ code: 'keys.passphrase_invalid' })
    })

    it('a wrong key-encryption key cannot open a key: KeysError keys.passphrase_invalid', async () => {
      const { db } = await d.open()
      const ref = await new PgHolderKeyStore(db, { kek }).generate({ alg: 'ES256' })
      const wrong = new PgHolderKeyStore(db, { kek: createKek(randomBytes(32)) })
      await expect(wrong.signer(ref)).rejects.toMatchObject({ name: 'KeysError', code: 'keys.passphrase_invalid' })
      expect((await wrong.get(ref))?.ref).toEqual(ref) // the public part stays readable
    })
  })
}
