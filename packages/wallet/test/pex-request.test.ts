import { afterAll, describe, expect, it } from 'vitest'
import { PID, startWorld } from './world.js'

describe('Presentation Exchange requests (legacy OpenID4VP drafts)', async () => {
  const world = await startWorld({ refreshTokens: false })
  afterAll(() => world.close())

  it('PEX 2.1.1: a presentation_definition request is refused before anything is sent', async () => {
    const wallet = world.wallet()
    await wallet.receiveOffer(await world.offer(['pid_sd_jwt']), { count: 1 })
    const before = world.received.length
    const definition = {
      id: 'p',
      input_descriptors: [{ id: 'pid', constraints: { fields: [{ path: ['$.vct'], filter: { const: PID } }] } }],
    }
    const { link } = await world.verifier.createPexRequest(definition)
    await expect(wallet.present(link, { consent: (p) => p.selection })).rejects.toMatchObject({
      code: 'wallet.request_unsatisfiable',
    })
    expect(world.received.length).toBe(before)
    expect((await wallet.list())[0]).toMatchObject({ unused: 1 })
  })
})
