import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueSdJwtVcBatch, verifySdJwtVc } from '@bonafide/sd-jwt'
import { createStatusListChecker, createStatusListHandler, StatusListRegistry } from '@bonafide/status-list'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The status-list checker plugged into SD-JWT VC verification, over real HTTP on loopback.
const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
let reg: StatusListRegistry
let base = ''
const server = createServer(async (req, res) => {
  const r = await createStatusListHandler(reg)(
    new Request(`${base}${req.url}`, { headers: req.headers as Record<string, string> }),
  )
  res.writeHead(r.status, Object.fromEntries(r.headers))
  res.end(Buffer.from(await r.arrayBuffer()))
})
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  reg = new StatusListRegistry({ signer: issuer, baseUri: `${base}/status`, listSize: 1 << 16 })
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('SD-JWT VC batch with a status index per copy, revoked one by one', () => {
  it('revoking one copy of a batch leaves the others valid; the verifier tells revoked, suspended and undetermined apart', async () => {
    const refs = await reg.allocate(5)
    const { credentials } = await issueSdJwtVcBatch({
      signer: issuer,
      iss: 'https://issuer.example',
      vct: 'urn:eudi:pid:1',
      claims: { given_name: 'Erika' },
      entries: refs.map((r) => ({ status: r.status })),
    })
    expect(new Set(refs.map((r) => `${r.index.uri}#${r.index.idx}`)).size).toBe(5)
    reg.setStatus(refs[1]!.index.uri, refs[1]!.index.idx, 1)
    reg.setStatus(refs[2]!.index.uri, refs[2]!.index.idx, 2)
    const statusChecker = createStatusListChecker({
      fetcher: createSafeFetcher({ allowHttp: true, allowLoopback: true }),
      trust: { keys: [issuer.publicJwk] },
    })
    const opts = { issuerKeys: { keys: [issuer.publicJwk] }, statusChecker }
    expect((await verifySdJwtVc(credentials[0]!, opts)).status?.state).toBe('valid')
    await expect(verifySdJwtVc(credentials[1]!, opts)).rejects.toMatchObject({ code: 'sd_jwt_vc.status_revoked' })
    await expect(verifySdJwtVc(credentials[2]!, opts)).rejects.toMatchObject({ code: 'sd_jwt_vc.status_suspended' })
    for (const c of credentials.slice(3)) expect((await verifySdJwtVc(c, opts)).status?.state).toBe('valid')
    expect(statusChecker.fetches).toBe(1)
    const blind = createStatusListChecker({ fetcher: createSafeFetcher(), trust: { keys: [issuer.publicJwk] } })
    const r = await verifySdJwtVc(credentials[0]!, { ...opts, statusChecker: blind })
    expect(r.status).toMatchObject({ state: 'undetermined', reason: 'core.fetch_forbidden_url' })
  })
})
