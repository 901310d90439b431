import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type KeyStore, KeysError, MemoryKeyStore } from '@bonafide/keys'
import { afterAll, describe, expect, it } from 'vitest'
import { FileWalletStore } from '../src/index.js'
import { PID, PID_MDOC, startWorld } from './world.js'

const NS = PID_MDOC
const ageQuery = {
  credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] }],
}

describe('what a failed presentation leaves behind', async () => {
  const world = await startWorld({ refreshTokens: true })
  const dirs: string[] = []
  afterAll(async () => {
    await world.close()
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it('a presentation that cannot be signed sends nothing, gives the copy back and logs "failed"', async () => {
    const keys = new MemoryKeyStore()
    let broken = false
    const keyStore: KeyStore = {
      name: keys.name,
      generate: (spec) => keys.generate(spec),
      get: (ref) => keys.get(ref),
      list: () => keys.list(),
      delete: (ref) => keys.delete(ref),
      signer: async (ref) => {
        if (broken) throw new KeysError('keys.passphrase_invalid', 'wrong passphrase')
        return keys.signer(ref)
      },
    }
    const wallet = world.wallet(undefined, { keyStore })
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 4 })
    const before = world.received.length
    broken = true
    const { link } = await world.verifier.createRequest(ageQuery)
    await expect(wallet.present(link, { consent: (p) => p.selection })).rejects.toMatchObject({ code: 'keys.passphrase_invalid' })
    expect(world.received.length).toBe(before)
    expect((await wallet.list())[0]?.unused).toBe(4)
    expect((await wallet.log()).map((e) => e.outcome)).toEqual(['failed'])
  })

  it('when a later copy cannot be taken, the copies already taken go back', async () => {
    const wallet = world.wallet()
    const [pool] = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 1 })
    const { link } = await world.verifier.createRequest({
      credentials: [{ ...ageQuery.credentials[0], multiple: true }],
    })
    await expect(
      wallet.present(link, { consent: () => ({ pid: [pool?.id as string, pool?.id as string] }), refill: false }),
    ).rejects.toMatchObject({ code: 'wallet.pool_exhausted' })
    expect((await wallet.list())[0]?.unused).toBe(1)
  })

  it('one refresh token for two pools of one offer: refilling one rotates it for both', async () => {
    const wallet = world.wallet()
    const [sd, md] = await wallet.receiveOffer(await world.offer(), { count: 3 })
    const mdQuery = {
      credentials: [{ id: 'md', format: 'mso_mdoc', meta: { doctype_value: PID_MDOC }, claims: [{ path: [NS, 'age_over_18'] }] }],
    }
    const sdRefill = await wallet.present((await world.verifier.createRequest(ageQuery)).link, { consent: (p) => p.selection })
    expect(sdRefill.refills).toEqual([{ poolId: sd?.id, added: 3 }])
    const mdRefill = await wallet.present((await world.verifier.createRequest(mdQuery)).link, { consent: (p) => p.selection })
    expect(mdRefill.refills).toEqual([{ poolId: md?.id, added: 3 }])
    const tokens = new Set((await wallet.o.store.listPools()).map((p) => p.source?.refreshToken))
    expect(tokens.size).toBe(1)
  })

  it('two wallets on one file store present concurrently without ever taking the same copy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-wallet-conc-'))
    dirs.push(dir)
    const keyStore = new MemoryKeyStore()
    const a = world.wallet(new FileWalletStore(dir), { keyStore })
    const b = world.wallet(new FileWalletStore(dir), { keyStore })
    await a.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 6 })
    const links = await Promise.all(Array.from({ length: 6 }, () => world.verifier.createRequest(ageQuery)))
    const results = await Promise.all(
      links.map((l, i) => (i % 2 ? a : b).present(l.link, { consent: (p) => p.selection, refill: false })),
    )
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true)
    expect(new Set(results.map((r) => r.used[0]?.copyId)).size).toBe(6)
    expect((await a.list())[0]?.unused).toBe(0)
  })
})
