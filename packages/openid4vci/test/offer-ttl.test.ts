import { FakeClock } from '@bonafide/core'
import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { describe, expect, it } from 'vitest'
import { sdJwtVcFormat } from '../src/formats/index.js'
import { createIssuer, MemoryIssuerStore } from '../src/index.js'

describe('offer lifetime per offer', () => {
  const clock = new FakeClock(Date.now())
  const store = new MemoryIssuerStore({ now: () => clock.now() })
  const issuer = createIssuer({
    issuer: 'https://issuer.example',
    store,
    formats: [sdJwtVcFormat({ signer: createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'i' }, 'ES256') })],
    configurations: { pid: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1' } },
    batchSize: 2,
    claims: () => ({ given_name: 'Erika' }),
    offerTtlSeconds: 3600,
    clock,
  })
  const redeem = (code: string) =>
    issuer.handle(
      new Request('https://issuer.example/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
          'pre-authorized_code': code,
        }),
      }),
    )

  it('OpenID4VCI §6.3: a pre-authorized code dies with its offer (ttlSeconds), not with the issuer-wide lifetime', async () => {
    const short = await issuer.createOffer({ configurationIds: ['pid'], ttlSeconds: 30 })
    const long = await issuer.createOffer({ configurationIds: ['pid'] })
    clock.advanceSeconds(31)
    const r = await redeem(short.preAuthorizedCode as string)
    expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([400, 'invalid_grant'])
    expect((await redeem(long.preAuthorizedCode as string)).status).toBe(200)
  })

  it('refuses a lifetime out of range', async () => {
    await expect(issuer.createOffer({ configurationIds: ['pid'], ttlSeconds: 0 })).rejects.toMatchObject({
      error: 'invalid_request',
    })
  })
})
