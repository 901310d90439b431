/**
 * The terminal wallet against the agent's verifier (OpenID4VP 1.0 §5, §6 DCQL, §8.2 direct_post), driven by the
 * CLI as admin client: `request create`, `wallet present`, `request result --wait`, `request accept|reject`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type RunningAgent, startAgent } from '@bonafide/agent'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../../agent/test/databases.js'
import { MDL, NS } from '../../agent/test/fixtures.js'
import { SAMPLE_PID } from '../src/commands/issuer.js'
import { cli } from './helpers.js'

const DCQL = {
  credentials: [
    { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['family_name'] }] },
    {
      id: 'mdl',
      format: 'mso_mdoc',
      meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
      claims: [{ path: [NS, 'age_over_18'] }],
    },
  ],
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`the terminal wallet answers the agent's verifier on ${kind}`, () => {
    let dir = ''
    let agent: RunningAgent
    let admin: Record<string, string> = {}
    let wallet: Record<string, string> = {}
    let anchor = ''
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bonafide-cli-verify-'))
      const env: Record<string, string> = {
        PORT: '0',
        BONAFIDE_DATA: join(dir, 'data'),
        BONAFIDE_KEK: 'e'.repeat(64),
        BONAFIDE_LOG: 'silent',
      }
      if (kind === 'postgres') env.DATABASE_URL = await createPgDatabase()
      agent = await startAgent(loadConfig(env))
      admin = { BONAFIDE_AGENT: agent.url, BONAFIDE_API_KEY: agent.ctx.firstAdminKey as string }
      wallet = { BONAFIDE_WALLET: join(dir, 'wallet'), BONAFIDE_WALLET_PASSPHRASE: 'correct horse battery staple' }
      anchor = `${agent.url}/trust-anchor.pem`
      await writeFile(join(dir, 'dcql.json'), JSON.stringify(DCQL))
      await writeFile(join(dir, 'pid.json'), JSON.stringify({ pid_sd_jwt: SAMPLE_PID, mdl_mdoc: MDL }))
    })
    afterAll(async () => {
      await agent?.close()
      await rm(dir, { recursive: true, force: true })
    })

    const present = (request: string) =>
      cli(['wallet', 'present', request, '--yes', '--local', '--trust-anchor', anchor, '--json'], { env: wallet })

    it('PID and mDL in one DCQL session: verified with every query valid, accepted by the operator; a revoked batch fails the next session at the status check', async () => {
      // without the issuer's root the wallet refuses the credentials and says how to trust the issuer
      const offer0 = await cli(['offer', 'create', '--config', 'pid_sd_jwt', '--claims', join(dir, 'pid.json'), '--json'], {
        env: admin,
      })
      expect(offer0.code, offer0.err).toBe(1) // claims are keyed by configuration only for several configurations
      const newOffer = () =>
        fetch(`${agent.url}/v1/offers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin.BONAFIDE_API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            configurationIds: ['pid_sd_jwt', 'mdl_mdoc'],
            claimsByConfiguration: { pid_sd_jwt: SAMPLE_PID, mdl_mdoc: MDL },
          }),
        }).then((r) => r.json() as Promise<any>)
      const untrusted = await cli(['wallet', 'receive', (await newOffer()).offer, '--local'], {
        env: { ...wallet, BONAFIDE_WALLET: join(dir, 'other-wallet') },
      })
      expect([untrusted.code, untrusted.err]).toEqual([1, expect.stringContaining('hint: the issuer is not trusted')])
      const created = await newOffer()
      const rec = await cli(['wallet', 'receive', created.offer, '--local', '--trust-anchor', anchor, '--json'], { env: wallet })
      expect(rec.code, rec.err).toBe(0)

      const req = await cli(['request', 'create', '--dcql', join(dir, 'dcql.json'), '--json'], { env: admin })
      expect(req.code, req.err).toBe(0)
      const { request, session } = JSON.parse(req.out) as { request: string; session: string }
      expect(request).toMatch(/^openid4vp:\/\//)
      const p = await present(request)
      expect(p.code, p.err).toBe(0)
      const res = await cli(['request', 'result', session, '--wait', '5', '--json'], { env: admin })
      expect(res.code, res.err).toBe(0)
      const r = JSON.parse(res.out)
      expect(r).toMatchObject({ state: 'verified', valid: true })
      expect(r.credentials.map((q: any) => [q.queryId, q.valid])).toEqual([
        ['pid', true],
        ['mdl', true],
      ])
      const text = await cli(['request', 'result', session], { env: admin })
      expect(text.out).toContain('verified (valid)')
      const acc = await cli(['request', 'accept', session, '--json'], { env: admin })
      expect(JSON.parse(acc.out).state).toBe('accepted')
      const again = await cli(['request', 'reject', session], { env: admin })
      expect([again.code, again.err]).toEqual([1, expect.stringContaining('agent.session_state')])

      const creds = await fetch(`${agent.url}/v1/credentials?limit=100&session=${created.sessionId}`, {
        headers: { authorization: `Bearer ${admin.BONAFIDE_API_KEY}` },
      }).then((x) => x.json() as Promise<any>)
      const pidBatch = creds.items.find((c: any) => c.configurationId === 'pid_sd_jwt').batchId
      // ids are base64url and may begin with '-': after '--' they are never read as options
      const revoked = await cli(['credential', 'revoke', '--batch', '--', pidBatch], { env: admin })
      expect(revoked.code, revoked.err).toBe(0)
      const req2 = JSON.parse((await cli(['request', 'create', '--dcql', join(dir, 'dcql.json'), '--json'], { env: admin })).out)
      expect((await present(req2.request)).code).toBe(0)
      const r2 = JSON.parse((await cli(['request', 'result', req2.session, '--wait', '5', '--json'], { env: admin })).out)
      expect(r2).toMatchObject({ state: 'verification_failed', valid: false })
      expect(r2.credentials[0].checks.find((c: any) => c.outcome === 'failed')).toMatchObject({
        check: 'status',
        code: 'openid4vp.status_revoked',
      })
      const printed = await cli(['request', 'result', req2.session], { env: admin })
      expect(printed.out).toContain('status failed: openid4vp.status_revoked')
      expect((await cli(['request', 'result', 'no_such_session'], { env: admin })).code).toBe(1)
      expect((await cli(['request', 'create'], { env: admin })).code).toBe(2)
    })
  })
}
