import { describe, expect, it } from 'vitest'
import type { SessionQuery, SessionResult, VerifierSession, VerifierSessionBase, VerifierSessionStore } from './session-store.js'

const session = (id: string, extra: Partial<VerifierSessionBase> & Partial<SessionQuery> = {}): VerifierSession => {
  const { dcql, presentationDefinition, ...rest } = extra
  return {
    id,
    nonce: `n-${id}`,
    state: `s-${id}`,
    expiresAt: Date.now() + 60_000,
    ...rest,
    ...(presentationDefinition ? { presentationDefinition } : { dcql: dcql ?? { credentials: [] } }),
  }
}
const accepted: SessionResult = { valid: true, credentials: [], unsatisfiedSets: [], state: 'accepted' }

/**
 * The VerifierSessionStore contract: run it against any implementation (memory here, PostgreSQL in the agent).
 * @example runVerifierSessionStoreContract('memory', () => new MemoryVerifierSessionStore())
 */
export function runVerifierSessionStoreContract(
  name: string,
  create: () => VerifierSessionStore | Promise<VerifierSessionStore>,
): void {
  describe(`VerifierSessionStore contract: ${name}`, () => {
    it('a session round-trips; unknown and expired ones are not returned', async () => {
      const st = await create()
      await st.create(session('a', { transactionData: ['td'], expectedOrigins: ['https://o.example'] }))
      await st.create(session('old', { expiresAt: Date.now() - 1 }))
      expect(await st.get('a')).toMatchObject({
        id: 'a',
        nonce: 'n-a',
        transactionData: ['td'],
        expectedOrigins: ['https://o.example'],
      })
      expect(await st.get('nope')).toBeUndefined()
      expect(await st.get('old')).toBeUndefined()
      expect(await st.takeState('s-old')).toBeUndefined()
    })
    it('a Presentation Exchange session keeps its definition and no DCQL query', async () => {
      const st = await create()
      const presentationDefinition = {
        id: 'pd',
        input_descriptors: [{ id: 'pid', constraints: { fields: [{ path: ['$.vct'] }] } }],
      }
      await st.create(session('p', { presentationDefinition }))
      const got = await st.get('p')
      expect(got?.presentationDefinition).toEqual(presentationDefinition)
      expect(got?.dcql).toBeUndefined()
    })
    it('a PEX outcome round-trips with its pex detail', async () => {
      const st = await create()
      await st.create(session('q', { presentationDefinition: { id: 'pd', input_descriptors: [] } }))
      const pex = { valid: true, descriptors: [], unsatisfiedRequirements: [] }
      expect(await st.complete('q', { ...accepted, pex })).toBe(true)
      expect((await st.result('q'))?.pex).toEqual(pex)
    })
    it('state is taken once, even by concurrent callers', async () => {
      const st = await create()
      await st.create(session('a'))
      const got = await Promise.all(Array.from({ length: 10 }, () => st.takeState('s-a')))
      expect(got.filter((x) => x === 'a')).toHaveLength(1)
    })
    it('the request_uri is claimed once (by reference sessions only) and can be released after a refused fetch', async () => {
      const st = await create()
      await st.create(session('r', { byReference: true }))
      await st.create(session('v'))
      expect(await st.claimRequestUri('v')).toBe(false)
      const claims = await Promise.all(Array.from({ length: 5 }, () => st.claimRequestUri('r')))
      expect(claims.filter(Boolean)).toHaveLength(1)
      await st.releaseRequestUri('r')
      expect(await st.claimRequestUri('r')).toBe(true)
    })
    it('the outcome is recorded once; the response code gives it back once', async () => {
      const st = await create()
      await st.create(session('a'))
      expect(await st.result('a')).toBeUndefined()
      const wins = await Promise.all([
        st.complete('a', accepted, 'code-1'),
        st.complete('a', { ...accepted, valid: false, state: 'rejected' }),
      ])
      expect(wins.filter(Boolean)).toHaveLength(1)
      expect((await st.result('a'))?.state).toBe(wins[0] ? 'accepted' : 'rejected')
      if (wins[0]) {
        expect((await st.takeResponseCode('code-1'))?.valid).toBe(true)
        expect(await st.takeResponseCode('code-1')).toBeUndefined()
      }
      expect(await st.complete('nope', accepted)).toBe(false)
    })
    it('a session is found by its response encryption key id', async () => {
      const st = await create()
      const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'kid-1' } as const
      await st.create(session('e', { encryption: { jwk, privateJwk: { d: 'secret' } } }))
      expect((await st.getByEncryptionKid('kid-1'))?.id).toBe('e')
      expect(await st.getByEncryptionKid('kid-2')).toBeUndefined()
    })
  })
}
