import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSafeFetcher, utf8Decode } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { matchDcql, parseAuthorizationRequest, postDirectResponse } from '@bonafide/openid4vp'
import { decodeSdJwt, issueSdJwtVc, presentSdJwt } from '@bonafide/sd-jwt'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import type { Io } from '../src/io.js'
import { cli } from './helpers.js'

describe('bonafide verifier demo', () => {
  it('prints {"verifier":URL}, creates a request from a DCQL body, and reports the validated result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bf-verifier-'))
    await cli(['keygen', '--out', join(dir, 'issuer.jwk')])
    const issuer = signerFromPrivateJwk(JSON.parse(await readFile(join(dir, 'issuer.jwk'), 'utf8')))
    let stop: () => void = () => undefined
    const stopSignal = new Promise<void>((r) => {
      stop = r
    })
    let first: (l: string) => void = () => undefined
    const firstLine = new Promise<string>((r) => {
      first = r
    })
    const io: Io = { out: (t) => first(t), err: () => undefined, readStdin: async () => '', env: {}, stopSignal }
    const done = runCli(['verifier', 'demo', '--port', '0', '--issuer-key', join(dir, 'issuer.jwk')], io)
    const { verifier } = JSON.parse(await firstLine) as { verifier: string }
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    const dcql = {
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['age_over_18'] }] },
      ],
    }
    const created = JSON.parse(
      utf8Decode((await fetcher(`${verifier}/demo/request`, { method: 'POST', body: JSON.stringify(dcql) })).body),
    ) as { request: string; session: string }
    expect(created.request.startsWith('openid4vp://')).toBe(true)
    expect(JSON.parse(utf8Decode((await fetcher(`${verifier}/demo/result/${created.session}`)).body))).toEqual({
      state: 'pending',
    })
    const root = utf8Decode((await fetcher(`${verifier}/demo/trust-anchor.pem`)).body)
    const request = await parseAuthorizationRequest(created.request, { trustAnchors: [root] })
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueSdJwtVc({
      signer: issuer,
      iss: 'https://issuer.example',
      vct: 'urn:eudi:pid:1',
      claims: { age_over_18: true, given_name: 'E' },
      disclosable: ['age_over_18', 'given_name'],
      holderKey: holder.publicJwk,
    })
    if (!request.dcql) throw new Error('expected a DCQL request')
    const plan = matchDcql(request.dcql, [
      { id: 'c', format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', claims: decodeSdJwt(vc).claims },
    ])
    const vp = await presentSdJwt(vc, {
      disclose: plan.queries.pid!.candidates[0]!.claims,
      kb: { signer: holder, aud: request.clientId, nonce: request.nonce },
    })
    await postDirectResponse(fetcher, request, { pid: [vp] })
    const result = JSON.parse(utf8Decode((await fetcher(`${verifier}/demo/result/${created.session}`)).body))
    expect(result).toMatchObject({ state: 'accepted', valid: true, unsatisfiedSets: [] })
    expect(result.credentials[0]).toMatchObject({ queryId: 'pid', format: 'dc+sd-jwt', valid: true })
    const bad = await fetcher(`${verifier}/demo/request`, { method: 'POST', body: '{"credentials":[]}' })
    expect(bad.status).toBe(400)
    stop()
    expect(await done).toBe(0)
  })
  it('--client-id-prefix redirect_uri: an unsigned request whose client id is the response URI (§5.9.3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bf-verifier-'))
    await cli(['keygen', '--out', join(dir, 'issuer.jwk')])
    const issuer = signerFromPrivateJwk(JSON.parse(await readFile(join(dir, 'issuer.jwk'), 'utf8')))
    let stop: () => void = () => undefined
    const stopSignal = new Promise<void>((r) => {
      stop = r
    })
    let first: (l: string) => void = () => undefined
    const firstLine = new Promise<string>((r) => {
      first = r
    })
    const io: Io = { out: (t) => first(t), err: () => undefined, readStdin: async () => '', env: {}, stopSignal }
    const args = [
      'verifier',
      'demo',
      '--port',
      '0',
      '--client-id-prefix',
      'redirect_uri',
      '--issuer-key',
      join(dir, 'issuer.jwk'),
    ]
    const done = runCli(args, io)
    const { verifier } = JSON.parse(await firstLine) as { verifier: string }
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
    const dcql = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] } }] }
    const created = JSON.parse(
      utf8Decode((await fetcher(`${verifier}/demo/request`, { method: 'POST', body: JSON.stringify(dcql) })).body),
    ) as { request: string; session: string }
    await expect(parseAuthorizationRequest(created.request, {})).rejects.toMatchObject({ code: 'openid4vp.client_untrusted' })
    const request = await parseAuthorizationRequest(created.request, { allowRedirectUri: true })
    expect(request.clientId).toBe(`redirect_uri:${verifier}/response`)
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueSdJwtVc({
      signer: issuer,
      iss: 'https://issuer.example',
      vct: 'urn:eudi:pid:1',
      claims: { age_over_18: true },
      disclosable: ['age_over_18'],
      holderKey: holder.publicJwk,
    })
    const vp = await presentSdJwt(vc, { disclose: [], kb: { signer: holder, aud: request.clientId, nonce: request.nonce } })
    await postDirectResponse(fetcher, request, { pid: [vp] })
    const result = JSON.parse(utf8Decode((await fetcher(`${verifier}/demo/result/${created.session}`)).body))
    expect(result).toMatchObject({ state: 'accepted', valid: true })
    expect((await cli(['verifier', 'demo', '--client-id-prefix', 'did', '--issuer-key', join(dir, 'issuer.jwk')])).code).toBe(2)
    stop()
    expect(await done).toBe(0)
  })

  it('refuses to start without a trusted issuer (exit 2)', async () => {
    expect((await cli(['verifier', 'demo', '--port', '0'])).code).toBe(2)
  })
})
