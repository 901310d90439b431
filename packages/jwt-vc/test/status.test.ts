import { type Fetcher, utf8Encode } from '@bonafide/core'
import { BitstringStatusList, createBitstringStatusListCredential, createStatusListChecker } from '@bonafide/status-list'
import { describe, expect, it } from 'vitest'
import { bitstringStatusEntry, issueJwtVc, verifyJwtVc } from '../src/index.js'
import { clock, degree, newSigner, signRaw } from './helpers.js'

const issuer = newSigner()
const ISS = 'https://issuer.example'
const REV = 'https://issuer.example/status/rev'
const SUS = 'https://issuer.example/status/sus'
const revList = BitstringStatusList.create()
const susList = BitstringStatusList.create()
revList.set(7, 1)
susList.set(8, 1)

async function fetcherFor(): Promise<Fetcher> {
  const lists: Record<string, string> = {
    [REV]: await createBitstringStatusListCredential({
      list: revList,
      id: REV,
      issuer: ISS,
      statusPurpose: 'revocation',
      signer: issuer,
      clock,
    }),
    [SUS]: await createBitstringStatusListCredential({
      list: susList,
      id: SUS,
      issuer: ISS,
      statusPurpose: 'suspension',
      signer: issuer,
      clock,
    }),
  }
  return async (url) => {
    const body = lists[url]
    const headers: Record<string, string> = body ? { 'content-type': 'application/vc+jwt' } : {}
    return { url, status: body ? 200 : 404, headers, body: body ? utf8Encode(body) : new Uint8Array() }
  }
}

const keys = { keys: [issuer.publicJwk] }
const issue = (credentialStatus: object | object[], version: '1.1' | '2.0' = '2.0') =>
  issueJwtVc({ signer: issuer, issuer: ISS, credential: degree, credentialStatus: credentialStatus as never, version, clock })

describe('credentialStatus (Bitstring Status List v1.0)', () => {
  it('§2.1 BitstringStatusListEntry: valid, revoked and suspended are told apart', async () => {
    const checker = createStatusListChecker({ fetcher: await fetcherFor(), trust: { keys: [issuer.publicJwk] }, clock })
    const o = { issuerKeys: keys, clock, statusChecker: checker }
    const ok = await verifyJwtVc(await issue(bitstringStatusEntry({ statusListCredential: REV, index: 6 })), o)
    expect(ok.status).toMatchObject({ state: 'valid', index: 6 })
    for (const version of ['1.1', '2.0'] as const) {
      await expect(
        verifyJwtVc(await issue(bitstringStatusEntry({ statusListCredential: REV, index: 7 }), version), o),
      ).rejects.toMatchObject({
        code: 'jwt_vc.status_revoked',
      })
    }
    const sus = bitstringStatusEntry({ statusListCredential: SUS, index: 8, purpose: 'suspension' })
    await expect(verifyJwtVc(await issue(sus), o)).rejects.toMatchObject({ code: 'jwt_vc.status_suspended' })
    const both = [bitstringStatusEntry({ statusListCredential: REV, index: 8 }), sus]
    await expect(verifyJwtVc(await issue(both), o)).rejects.toMatchObject({ code: 'jwt_vc.status_suspended' })
    const reported = await verifyJwtVc(await issue(sus), { ...o, statusPolicy: { mode: 'report' } })
    expect(reported.status?.state).toBe('suspended')
  })

  it('an unreachable list is undetermined: reported, or rejected by policy', async () => {
    const checker = createStatusListChecker({ fetcher: await fetcherFor(), trust: { keys: [issuer.publicJwk] }, clock })
    const gone = await issue(bitstringStatusEntry({ statusListCredential: 'https://issuer.example/status/gone', index: 1 }))
    const r = await verifyJwtVc(gone, { issuerKeys: keys, clock, statusChecker: checker })
    expect(r.status?.state).toBe('undetermined')
    await expect(
      verifyJwtVc(gone, { issuerKeys: keys, clock, statusChecker: checker, statusPolicy: { rejectUndetermined: true } }),
    ).rejects.toMatchObject({ code: 'jwt_vc.status_undetermined' })
  })

  it('StatusList2021Entry is read for compatibility', async () => {
    const checker = createStatusListChecker({ fetcher: await fetcherFor(), trust: { keys: [issuer.publicJwk] }, clock })
    const entry = {
      id: `${REV}#7`,
      type: 'StatusList2021Entry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: REV,
    }
    await expect(
      verifyJwtVc(await issue(entry, '1.1'), { issuerKeys: keys, clock, statusChecker: checker }),
    ).rejects.toMatchObject({
      code: 'jwt_vc.status_revoked',
    })
  })

  it('§2.1 rejects malformed entries (index, URL, purpose), and a purpose the list does not have', async () => {
    const checker = createStatusListChecker({ fetcher: await fetcherFor(), trust: { keys: [issuer.publicJwk] }, clock })
    const good = bitstringStatusEntry({ statusListCredential: REV, index: 1 })
    for (const bad of [
      { ...good, statusListIndex: '-1' },
      { ...good, statusListIndex: '01' },
      { ...good, statusListCredential: 'not a url' },
      { ...good, statusPurpose: undefined },
      { statusListIndex: '1' },
    ]) {
      const jwt = await signRaw(
        { typ: 'vc+jwt' },
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: 'VerifiableCredential',
          issuer: ISS,
          credentialSubject: {},
          credentialStatus: bad,
        } as never,
        issuer,
      )
      await expect(
        verifyJwtVc(jwt, { issuerKeys: keys, clock, statusChecker: checker }),
        JSON.stringify(bad),
      ).rejects.toMatchObject({
        code: 'jwt_vc.status_invalid',
      })
    }
    const wrongPurpose = await issue({ ...good, statusPurpose: 'suspension' })
    await expect(verifyJwtVc(wrongPurpose, { issuerKeys: keys, clock, statusChecker: checker })).rejects.toMatchObject({
      code: 'jwt_vc.status_invalid',
    })
  })

  it('bitstringStatusEntry refuses a negative index or a non-URL list', () => {
    expect(() => bitstringStatusEntry({ statusListCredential: REV, index: -1 })).toThrow(
      expect.objectContaining({ code: 'jwt_vc.options_invalid' }),
    )
    expect(() => bitstringStatusEntry({ statusListCredential: 'x', index: 1 })).toThrow(
      expect.objectContaining({ code: 'jwt_vc.options_invalid' }),
    )
  })
})
