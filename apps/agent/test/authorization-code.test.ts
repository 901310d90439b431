import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSafeFetcher } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { WalletClient } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'

const PID = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', nationalities: ['DE'] }
const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })

describe('OpenID4VCI §5.1.3 authorization code offers through the agent (real HTTP on 127.0.0.1)', () => {
  let agent: RunningAgent
  let dir = ''
  let key = ''
  let wallet: WalletClient
  const v1 = async (path: string, body?: unknown) => {
    const r = await fetch(`${agent.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return (await r.json()) as any
  }
  // The user agent follows /authorize's redirect: the code arrives at the wallet's redirect URI.
  const userAgent = async (url: string) => String((await fetcher(url, { method: 'GET' })).headers.location)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-agent-authz-'))
    agent = await startAgent(loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'e'.repeat(64), BONAFIDE_LOG: 'silent' }))
    key = agent.ctx.firstAdminKey as string
    const anchor = await (await fetch(`${agent.url}/trust-anchor.pem`)).text()
    wallet = new WalletClient({
      fetcher,
      keyStore: new MemoryKeyStore(),
      formats: [sdJwtVcFormat({ issuerKeys: { trustAnchors: [anchor], requireIssInSan: false } })],
      clientId: 'wallet-1',
      dpop: true,
    })
  })
  afterAll(async () => {
    await agent?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('PAR + PKCE + DPoP with the offer issuer_state: a DPoP-bound batch; the session goes offered → token_issued → credentials_issued; issuer_state is single use', async () => {
    const created = await v1('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID, grant: 'authorization_code' })
    const offer = await wallet.resolveOffer(created.offer)
    const issuerState = offer.grants?.authorization_code?.issuer_state as string
    expect(issuerState).toBeTypeOf('string')
    expect(offer.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code']).toBeUndefined()
    expect((await v1(`/v1/issuance-sessions/${created.sessionId}`)).state).toBe('offered')
    const issuer = await wallet.resolveIssuer(agent.url)
    const session = await wallet.tokenAuthorizationCode(issuer, {
      configurationIds: ['pid_sd_jwt'],
      redirectUri: 'https://wallet.example/cb',
      issuerState,
      userAgent,
    })
    expect((await v1(`/v1/issuance-sessions/${created.sessionId}`)).state).toBe('token_issued')
    const res = await wallet.requestCredentials(session, { configurationId: 'pid_sd_jwt', count: 3 })
    expect(res.credentials).toHaveLength(3)
    expect(res.credentials.map((c) => c.claims?.given_name)).toEqual(['Erika', 'Erika', 'Erika'])
    expect((await v1(`/v1/issuance-sessions/${created.sessionId}`)).state).toBe('credentials_issued')
    const records = await v1(`/v1/credentials?session=${created.sessionId}`)
    expect(new Set(records.items.map((i: any) => i.holderKeyThumbprint)).size).toBe(3)
    await expect(
      wallet.tokenAuthorizationCode(issuer, {
        configurationIds: ['pid_sd_jwt'],
        redirectUri: 'https://wallet.example/cb',
        issuerState,
        userAgent,
      }),
    ).rejects.toBeTruthy()
  })

  it('a wallet-initiated authorization request (no issuer_state) is refused with access_denied by default', async () => {
    const issuer = await wallet.resolveIssuer(agent.url)
    let redirect = ''
    await wallet
      .tokenAuthorizationCode(issuer, {
        configurationIds: ['pid_sd_jwt'],
        redirectUri: 'https://wallet.example/cb',
        userAgent: async (url) => (redirect = await userAgent(url)),
      })
      .catch(() => undefined)
    expect(new URL(redirect).searchParams.get('error')).toBe('access_denied')
  })
})
