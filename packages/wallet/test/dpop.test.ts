import { afterAll, describe, expect, it } from 'vitest'
import { PID, startWorld } from './world.js'

const ageQuery = {
  credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] }],
}

describe('DPoP-bound grants (RFC 9449): the refresh token only works with the key it is bound to', async () => {
  const world = await startWorld({ refreshTokens: true, dpop: true })
  afterAll(() => world.close())

  it('the wallet keeps the grant’s DPoP key and refills with it; deleting the last pool deletes the key', async () => {
    const wallet = world.wallet(undefined, { dpop: true })
    const [pool] = await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 3 })
    const dpopKey = pool?.source?.dpopKey
    expect(dpopKey).toBeDefined()
    expect(await wallet.o.keyStore.get(dpopKey as never)).toBeDefined()
    const r = await wallet.present((await world.verifier.createRequest(ageQuery)).link, { consent: (p) => p.selection })
    expect(r.refills).toEqual([{ poolId: pool?.id, added: 3 }])
    await wallet.deletePool(pool?.id as string)
    expect(await wallet.o.keyStore.get(dpopKey as never)).toBeUndefined()
  })

  it('a wallet without DPoP cannot use this issuer at all (the binding is not optional here)', async () => {
    const wallet = world.wallet()
    await expect(wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 3 })).rejects.toMatchObject({
      name: 'OAuthError',
      message: expect.stringContaining('DPoP'),
    })
  })
})
