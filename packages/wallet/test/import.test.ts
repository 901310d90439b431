import { generateKeyPairSync } from 'node:crypto'
import { createSafeFetcher } from '@bonafide/core'
import { createLocalSigner, exportPublicJwk, MemoryKeyStore } from '@bonafide/keys'
import { issueSdJwtVc } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { MemoryWalletStore, sdJwtVcWalletFormat, Wallet } from '../src/index.js'

describe('import: credentials with their keys become one pool', async () => {
  const pki = await createDevChain()
  const issuer = createLocalSigner(pki.leaf.key, { store: 't', id: 'i' }, 'ES256')
  const wallet = () =>
    new Wallet({
      store: new MemoryWalletStore(),
      keyStore: new MemoryKeyStore(),
      fetcher: createSafeFetcher(),
      formats: [sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: [pki.root.pem], requireIssInSan: false } })],
    })
  const copy = async (claims = { given_name: 'Erika' }) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const credential = await issueSdJwtVc({
      signer: issuer,
      iss: 'https://issuer.example',
      vct: 'urn:eudi:pid:1',
      claims,
      disclosable: ['given_name'],
      holderKey: exportPublicJwk(privateKey),
      header: { x5c: pki.x5c },
    })
    return { format: 'dc+sd-jwt', credential, privateKey, alg: 'ES256' as const }
  }

  it('verified copies of one dataset are stored with their keys, policy applied', async () => {
    const w = wallet()
    const pool = await w.import([await copy(), await copy(), await copy()], { policy: { maxUses: 2, minUnused: 1 } })
    const [s] = await w.list()
    expect(s).toMatchObject({ unused: 3, pool: { id: pool.id, type: 'urn:eudi:pid:1', issuer: 'https://issuer.example' } })
    expect(s?.pool.policy).toEqual({ maxUses: 2, minUnused: 1 })
    for (const c of await w.o.store.listCopies(pool.id)) expect(await w.o.keyStore.get(c.keyRef)).toBeDefined()
  })

  it('refuses a credential given with another key, mixed datasets, untrusted issuers and bad policies', async () => {
    const w = wallet()
    const a = await copy()
    const b = await copy()
    await expect(w.import([{ ...a, privateKey: b.privateKey }])).rejects.toMatchObject({ code: 'wallet.import_invalid' })
    await expect(w.import([a, await copy({ given_name: 'Max' })])).rejects.toMatchObject({ code: 'wallet.import_invalid' })
    await expect(w.import([{ ...a, credential: a.credential.replace(/\.[^.~]+~/, '.AAAA~') }])).rejects.toMatchObject({
      code: 'wallet.credential_invalid',
    })
    await expect(w.import([{ ...a, format: 'ldp_vc' }])).rejects.toMatchObject({ code: 'wallet.format_unsupported' })
    await expect(w.import([a], { policy: { maxUses: 0 } })).rejects.toMatchObject({ code: 'wallet.import_invalid' })
    await expect(w.import([])).rejects.toMatchObject({ code: 'wallet.import_invalid' })
    expect(await w.list()).toEqual([])
  })
})
