/**
 * Nothing lost on a crash: an agent on its embedded database is killed with SIGKILL while wallets are being
 * served and webhook deliveries are pending; restarted on the same data, the data is there, every issued
 * credential has its record, no status index is used twice, and the pending deliveries go out.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { api, freePort, type Instance, issueAcross, pool, startInstance } from './instances.js'

const PID = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26', nationalities: ['DE'] }

describe('SIGKILL and restart', () => {
  let dir = ''
  let agent: Instance | undefined
  afterAll(async () => {
    agent?.child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })

  it('on the embedded database: killed mid-traffic, restarted, data and invariants hold, pending webhook deliveries are delivered', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-crash-'))
    let healthy = false
    const got = new Set<string>()
    const receiver = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (healthy) got.add(String(req.headers['webhook-id']))
        res.writeHead(healthy ? 204 : 503).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    try {
      const port = await freePort()
      const env = { BONAFIDE_DATA: dir, BONAFIDE_KEK: '8'.repeat(64) }
      agent = await startInstance(port, env)
      const o = agent.origin
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
      expect((await api(o, '/v1/webhooks', { url: hook, eventTypes: ['issuance.credentials_issued'] })).status).toBe(201)
      const offers = await pool(Array.from({ length: 40 }), 8, async () => {
        return (await api(o, '/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID })).json.offer as string
      })
      // wallets keep coming; the agent is killed while they are being served
      let done = 0
      const traffic = pool(offers, 6, (offer) =>
        issueAcross(o, [o, o, o], offer).then(
          (c) => {
            done++
            return c.length
          },
          () => 0,
        ),
      )
      while (done < 4) await new Promise((r) => setTimeout(r, 5))
      agent.child.kill('SIGKILL')
      expect(await agent.exited).toBe(null)
      const issuedBefore = (await traffic).reduce((a, b) => a + b, 0)
      expect(issuedBefore).toBeGreaterThan(0)
      expect(issuedBefore).toBeLessThan(400) // the kill came in the middle of the traffic

      healthy = true
      agent = await startInstance(port, env)
      const sessions = (await api(o, '/v1/issuance-sessions?limit=1000')).json.items as { state: string; issued: number }[]
      expect(sessions).toHaveLength(40) // every offer survived the kill
      const creds = (await api(o, '/v1/credentials?limit=1000')).json.items as { statusListId: string; statusIndex: number }[]
      // every credential a wallet received has its record (a batch is recorded before it is returned)
      expect(creds.length).toBeGreaterThanOrEqual(issuedBefore)
      expect(creds.length % 10).toBe(0)
      expect(new Set(creds.map((c) => `${c.statusListId}/${c.statusIndex}`)).size).toBe(creds.length)
      const issuedSessions = sessions.filter((s) => s.state === 'credentials_issued').length
      expect(issuedSessions * 10).toBe(creds.length)
      expect(sessions.filter((s) => s.state === 'issuing')).toEqual([])
      // the deliveries that were failing (and any claimed at the kill) go out after the restart
      const events = (await api(o, '/v1/events?type=issuance.credentials_issued&limit=1000')).json.items as { id: string }[]
      expect(events).toHaveLength(issuedSessions)
      const until = Date.now() + 45_000
      while (events.some((e) => !got.has(e.id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 250))
      expect(events.filter((e) => !got.has(e.id))).toEqual([])
    } finally {
      await new Promise((r) => receiver.close(r))
    }
  }, 120_000)
})
