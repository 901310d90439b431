import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type RunningAgent, startAgent } from '@bonafide/agent'
import { STATUS, verifyStatusListJwt } from '@bonafide/status-list'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../../agent/test/databases.js'
import { SAMPLE_PID, SAMPLE_PID_MDOC } from '../src/commands/issuer.js'
import { cli } from './helpers.js'

const KEK = 'a'.repeat(64)

interface Item {
  id: string
  batchId: string
  statusListId: string
  statusIndex: number
  status: string
}

async function api(agent: RunningAgent, key: string, path: string, init: RequestInit = {}): Promise<any> {
  const r = await fetch(`${agent.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  })
  const body = await r.json()
  if (!r.ok) throw new Error(`${r.status} ${JSON.stringify(body)}`)
  return body
}

/** What a verifier sees: the published list, signature checked against the trust anchor, at each index. */
async function statusesSeen(agent: RunningAgent, items: Item[]): Promise<number[]> {
  const anchor = await (await fetch(`${agent.url}/trust-anchor.pem`)).text()
  const listId = items[0]?.statusListId as string
  const uri = `${agent.url}/status/${listId}`
  const r = await fetch(uri)
  expect(r.headers.get('content-type')).toBe('application/statuslist+jwt')
  expect(r.headers.get('cache-control')).toMatch(/max-age=\d+/)
  const v = verifyStatusListJwt(await r.text(), { trust: { trustAnchors: [anchor] }, expectedUri: uri })
  return items.map((i) => v.list.get(i.statusIndex))
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`the loop through the agent on ${kind}: offer by CLI → wallet receive → revoke → a verifier reads the list → restart`, () => {
    let dir = ''
    let env: Record<string, string> = {}
    let agent: RunningAgent
    let adminKey = ''
    const start = async () => startAgent(loadConfig(env))

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bonafide-agent-e2e-'))
      env = { PORT: '0', BONAFIDE_DATA: join(dir, 'data'), BONAFIDE_KEK: KEK, BONAFIDE_LOG: 'silent' }
      if (kind === 'postgres') env.DATABASE_URL = await createPgDatabase()
      agent = await start()
      adminKey = agent.ctx.firstAdminKey as string
      expect(adminKey).toMatch(/^bfk_/)
    })
    afterAll(async () => {
      await agent?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('issues a batch of 10 that the wallet verifies; revoking one shows in the published list, the other nine stay valid; all survives a restart', async () => {
      const admin = { BONAFIDE_AGENT: agent.url, BONAFIDE_API_KEY: adminKey }
      const claimsFile = join(dir, 'pid.json')
      await writeFile(claimsFile, JSON.stringify(SAMPLE_PID))
      const created = await cli(['offer', 'create', '--config', 'pid_sd_jwt', '--claims', claimsFile, '--json'], { env: admin })
      expect(created.code, created.err).toBe(0)
      const made = JSON.parse(created.out) as { offer: string; session: string }
      const offer = { offer: made.offer, sessionId: made.session }
      const walletEnv = { BONAFIDE_WALLET: join(dir, 'wallet'), BONAFIDE_WALLET_PASSPHRASE: 'correct horse battery staple' }
      const rec = await cli(
        ['wallet', 'receive', offer.offer, '--local', '--trust-anchor', `${agent.url}/trust-anchor.pem`, '--json'],
        {
          env: walletEnv,
        },
      )
      expect(rec.code, rec.err).toBe(0)
      const received = JSON.parse(rec.out) as { pools: { unused: number; pool: { type: string } }[] }
      expect(received.pools.map((p) => [p.pool.type, p.unused])).toEqual([['urn:eudi:pid:1', 10]])

      const session = await api(agent, adminKey, `/v1/issuance-sessions/${offer.sessionId}`)
      expect(session).toMatchObject({ state: 'credentials_issued', issued: 1, expected: 1 })
      const { items } = (await api(agent, adminKey, `/v1/credentials?session=${offer.sessionId}`)) as { items: Item[] }
      expect(items).toHaveLength(10)
      expect(new Set(items.map((i) => i.batchId)).size).toBe(1)
      expect(new Set(items.map((i) => i.statusIndex)).size).toBe(10)
      expect(await statusesSeen(agent, items)).toEqual(Array(10).fill(STATUS.VALID))

      const revoked = await cli(['credential', 'revoke', items[3]?.id as string, '--json'], { env: admin })
      expect(revoked.code, revoked.err).toBe(0)
      expect(JSON.parse(revoked.out).updated).toBe(1)
      // the CLI as admin client: typed refusals exit 1 with the code; bad usage exits 2
      const unknown = await cli(['credential', 'revoke', 'cred_nope'], { env: admin })
      expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('agent.not_found')])
      expect((await cli(['credential', 'list'], { env: {} })).code).toBe(2)
      const listed = await cli(['credential', 'list', '--session', offer.sessionId], { env: admin })
      expect(listed.out.trim().split('\n')).toHaveLength(10)
      expect((await cli(['config', 'list', '--json'], { env: admin })).out).toContain('pid_mdoc')
      const seen = await statusesSeen(agent, items)
      expect(seen[3]).toBe(STATUS.INVALID)
      expect(seen.filter((s) => s === STATUS.VALID)).toHaveLength(9)

      await agent.close()
      env.PORT = new URL(agent.url).port // the same URL: list URIs and the issuer identifier name it
      agent = await start()
      expect(agent.ctx.firstAdminKey).toBeUndefined()
      expect((await api(agent, adminKey, `/v1/issuance-sessions/${offer.sessionId}`)).state).toBe('credentials_issued')
      const after = (await api(agent, adminKey, `/v1/credentials?session=${offer.sessionId}`)) as { items: Item[] }
      expect(after.items.map((i) => [i.id, i.status])).toEqual(items.map((i, k) => [i.id, k === 3 ? 'revoked' : 'valid']))
      const again = await statusesSeen(agent, items)
      expect(again).toEqual(seen)
    })

    it('one offer of an mdoc PID and a W3C membership credential: both batches arrive and verify in the wallet; the W3C ones point at Bitstring Status List credentials', async () => {
      const offer = await api(agent, adminKey, '/v1/offers', {
        method: 'POST',
        body: JSON.stringify({
          configurationIds: ['pid_mdoc', 'membership_jwt_vc'],
          claimsByConfiguration: {
            pid_mdoc: SAMPLE_PID_MDOC,
            membership_jwt_vc: { given_name: 'Erika', family_name: 'Mustermann', member_since: '2020-01-01', level: 'gold' },
          },
        }),
      })
      const walletEnv = { BONAFIDE_WALLET: join(dir, 'wallet2'), BONAFIDE_WALLET_PASSPHRASE: 'correct horse battery staple' }
      const rec = await cli(
        ['wallet', 'receive', offer.offer, '--local', '--trust-anchor', `${agent.url}/trust-anchor.pem`, '--json'],
        {
          env: walletEnv,
        },
      )
      expect(rec.code, rec.err).toBe(0)
      const received = JSON.parse(rec.out) as { pools: { unused: number; pool: { type: string } }[] }
      expect(received.pools.map((p) => p.unused)).toEqual([10, 10])
      expect((await api(agent, adminKey, `/v1/issuance-sessions/${offer.sessionId}`)).state).toBe('credentials_issued')
      const { items } = (await api(agent, adminKey, `/v1/credentials?session=${offer.sessionId}&limit=50`)) as {
        items: (Item & { format: string })[]
      }
      expect(items.map((i) => i.format).sort()).toEqual([...Array(10).fill('jwt_vc_json'), ...Array(10).fill('mso_mdoc')])
      const w3c = items.find((i) => i.format === 'jwt_vc_json') as Item
      await api(agent, adminKey, `/v1/credentials/${w3c.id}/suspend`, { method: 'POST' })
      const r = await fetch(`${agent.url}/status/${w3c.statusListId}/suspension`)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toBe('application/vc+jwt')
      const { BitstringStatusList } = await import('@bonafide/status-list')
      const payload = JSON.parse(Buffer.from((await r.text()).split('.')[1] as string, 'base64url').toString()) as any
      const list = BitstringStatusList.decode(payload.credentialSubject.encodedList)
      expect(list.get(w3c.statusIndex)).toBe(1)
    })
  })
}

describe('SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc-18 §4, §5) for configurations with a registry schema', () => {
  it('is hosted at /type-metadata/{config} with its integrity (x-integrity), built from the schema; a wallet receives credentials of that configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-agent-tm-'))
    const agent = await startAgent(loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: KEK, BONAFIDE_LOG: 'silent' }))
    try {
      const key = agent.ctx.firstAdminKey as string
      const schema = await api(agent, key, '/v1/schemas', {
        method: 'POST',
        body: JSON.stringify({
          name: 'org.example.diploma',
          version: '1.0.0',
          author: 'did:web:example.edu',
          schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', title: 'Name' } } },
        }),
      })
      await api(agent, key, '/v1/credential-configurations', {
        method: 'POST',
        body: JSON.stringify({ id: 'diploma', format: 'dc+sd-jwt', vct: 'https://example.edu/diploma', schemaId: schema.id }),
      })
      const r = await fetch(`${agent.url}/type-metadata/diploma`)
      expect(r.status).toBe(200)
      const bytes = new Uint8Array(await r.arrayBuffer())
      const doc = JSON.parse(new TextDecoder().decode(bytes))
      expect(doc.vct).toBe('https://example.edu/diploma')
      expect(doc.claims.map((c: { path: unknown }) => c.path)).toEqual([['name']])
      const { documentIntegrity } = await import('@bonafide/schema')
      const offer = await api(agent, key, '/v1/offers', {
        method: 'POST',
        body: JSON.stringify({ configurationIds: ['diploma'], claims: { name: 'Erika' } }),
      })
      const walletEnv = { BONAFIDE_WALLET: join(dir, 'w'), BONAFIDE_WALLET_PASSPHRASE: 'pass phrase for tests' }
      const rec = await cli(
        ['wallet', 'receive', offer.offer, '--local', '--trust-anchor', `${agent.url}/trust-anchor.pem`, '--json'],
        { env: walletEnv },
      )
      expect(rec.code, rec.err).toBe(0)
      const exported = JSON.parse((await cli(['wallet', 'list', '--json'], { env: walletEnv })).out)
      expect(JSON.stringify(exported)).toContain('https://example.edu/diploma')
      expect(r.headers.get('x-integrity')).toBe(documentIntegrity(bytes))
      expect((await fetch(`${agent.url}/type-metadata/nope`)).status).toBe(404)
    } finally {
      await agent.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
