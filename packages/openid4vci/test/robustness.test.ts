import { OAuthError } from '@bonafide/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopbackFetcher, type Running, startIssuer, walletFor } from './helpers.js'

const fetcher = loopbackFetcher()

describe('hostile input never crashes a handler', () => {
  let r: Running
  let denied: Running
  let token = ''
  beforeAll(async () => {
    r = await startIssuer()
    denied = await startIssuer({
      claims: () => {
        throw new OAuthError('credential_request_denied', 'the user is not eligible')
      },
    })
    const w = walletFor(r)
    const o = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
    token = (await w.tokenPreAuthorized(await w.resolveIssuer(r.url), await w.resolveOffer(o.link))).token.access_token
  })
  afterAll(async () => {
    await r.close()
    await denied.close()
  })

  it('arbitrary JSON to the credential endpoint gets a 4xx OAuth error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
        const res = await fetcher(`${r.url}/credential`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(v),
        })
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(JSON.parse(new TextDecoder().decode(res.body)).error).toMatch(/^[a-z_]+$/)
      }),
      { numRuns: 60 },
    )
  })

  it('arbitrary form bodies to the token and PAR endpoints get a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 })),
        fc.constantFrom('/token', '/par'),
        async (d, path) => {
          const res = await fetcher(`${r.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(d).toString(),
          })
          expect(res.status).toBeGreaterThanOrEqual(400)
          expect(res.status).toBeLessThan(500)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('a body above the limit is refused with 413', async () => {
    const res = await fetcher(`${r.url}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ x: 'a'.repeat(300 * 1024) }),
    })
    expect(res.status).toBe(413)
  })

  it('§8.3.1.2 the claims callback can deny with credential_request_denied', async () => {
    const res = await walletFor(denied)
      .receiveOffer((await denied.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })).link, { count: 1 })
      .catch((e: unknown) => e)
    expect(res).toMatchObject({ error: 'credential_request_denied', status: 400 })
  })
})
