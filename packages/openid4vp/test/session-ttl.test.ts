import { FakeClock } from '@bonafide/core'
import { describe, expect, it } from 'vitest'
import { MemoryVerifierSessionStore, Verifier, type VerifierSession } from '../src/index.js'

const DCQL = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] } }] }

function verifier(clock: FakeClock, created: VerifierSession[]) {
  const sessions = new MemoryVerifierSessionStore({ now: () => clock.now() })
  const create = sessions.create.bind(sessions)
  sessions.create = async (s) => {
    created.push(s)
    return create(s)
  }
  const uri = 'https://verifier.example/post'
  return new Verifier({
    clientId: `redirect_uri:${uri}`,
    responseUri: uri,
    validators: [],
    clock,
    sessions,
    sessionTtlSeconds: 600,
  })
}

describe('per-request session lifetime (ttlSeconds)', () => {
  it('a request lives ttlSeconds when given, the verifier default otherwise; nonsense lifetimes are refused', async () => {
    const clock = new FakeClock(1_800_000_000_000)
    const created: VerifierSession[] = []
    const v = verifier(clock, created)
    const a = await v.createRequest(DCQL, { ttlSeconds: 30 })
    await v.createRequest(DCQL)
    expect(created.map((s) => s.expiresAt - clock.now())).toEqual([30_000, 600_000])
    clock.advance(31_000)
    await expect(v.result(a.sessionId)).rejects.toMatchObject({ code: 'openid4vp.session_unknown' })
    for (const ttl of [0, -1, 1.5, 86_400 * 31])
      await expect(v.createRequest(DCQL, { ttlSeconds: ttl })).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
  })
})
