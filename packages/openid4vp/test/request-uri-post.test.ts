import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, type JsonObject } from '@bonafide/core'
import { decodeJwsUnverified } from '@bonafide/jose'
import { exportPublicJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAuthorizationRequest, Verifier } from '../src/index.js'

const PID = 'urn:eudi:pid:1'
const DCQL = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }] }
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('§5.10 request_uri_method=post over real HTTP on 127.0.0.1', async () => {
  const pki = await createDevChain({ dnsNames: ['localhost'] })
  const signer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  let plain: Verifier
  let encrypted: Verifier
  let base = ''
  let seen: { method?: string; headers?: IncomingHttpHeaders; body?: string } = {}
  // /plain/request/<id> and /enc/request/<id> serve the two verifiers; /strip/… forwards a POST as a GET (the
  // request object then lacks wallet_nonce) and /swap/… replaces the wallet_nonce: what a replaying attacker could send.
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString()
    seen = { method: req.method ?? '', headers: req.headers, body }
    const [, kind = '', ...rest] = (req.url ?? '').split('/')
    const target = kind === 'enc' ? encrypted : plain
    let url = `${base}/${kind === 'enc' ? 'enc' : 'plain'}/${rest.join('/')}`
    let init: RequestInit = { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, body }
    if (kind === 'strip') init = { method: 'GET' }
    if (kind === 'swap') init = { ...init, body: body.replace(/wallet_nonce=[^&]*/, 'wallet_nonce=attacker') }
    if (req.method === 'GET' || req.method === 'HEAD') delete init.body
    url = url.replace(/\/$/, '')
    const r = await target.handleRequestUri(new Request(url, init))
    res.writeHead(r.status, Object.fromEntries(r.headers))
    res.end(await r.text())
  })
  const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const trust = { trustAnchors: [pki.root.pem], fetcher }
  const mk = (kind: string, responseMode?: 'direct_post.jwt') =>
    new Verifier({
      clientId: 'x509_san_dns:localhost',
      signer,
      x5c: pki.x5c,
      responseUri: `${base}/post`,
      requestUriBase: `${base}/${kind}/request`,
      validators: [],
      ...(responseMode ? { responseMode } : {}),
    })
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://localhost:${(server.address() as AddressInfo).port}`
    plain = mk('plain')
    encrypted = mk('enc', 'direct_post.jwt')
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  const via = (link: string, kind: string) =>
    link.replace(encodeURIComponent(`${base}/plain/`), encodeURIComponent(`${base}/${kind}/`))

  it('the wallet POSTs a fresh wallet_nonce and its metadata; the request object echoes the nonce; the URI is single use', async () => {
    const { link, nonce } = await plain.createRequest(DCQL, { requestUriMethod: 'post' })
    expect(new URL(link).searchParams.get('request_uri_method')).toBe('post')
    const md = { request_object_signing_alg_values_supported: ['ES256'], vp_formats_supported: { 'dc+sd-jwt': {} } }
    const r = await parseAuthorizationRequest(link, { ...trust, walletMetadata: md })
    expect(r.nonce).toBe(nonce)
    expect(seen.method).toBe('POST')
    expect(seen.headers?.['content-type']).toBe('application/x-www-form-urlencoded')
    expect(seen.headers?.accept).toBe('application/oauth-authz-req+jwt')
    const sent = new URLSearchParams(seen.body)
    expect(sent.get('wallet_nonce')).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(JSON.parse(sent.get('wallet_metadata') ?? '')).toEqual(md)
    // §5.10.2: an HTTP error response terminates processing (a request_uri answers once)
    await expect(parseAuthorizationRequest(link, trust)).rejects.toMatchObject({ code: 'core.fetch_status' })
  })
  it('a plain request_uri is fetched with GET (RFC 9101) and carries no wallet_nonce', async () => {
    const { link } = await plain.createRequest(DCQL, { requestUriMethod: 'get' })
    expect(new URL(link).searchParams.has('request_uri_method')).toBe(false)
    await parseAuthorizationRequest(link, trust)
    expect(seen.method).toBe('GET')
  })
  it('§5.10.1 the wallet refuses a request object that lacks or changes its wallet_nonce', async () => {
    for (const kind of ['strip', 'swap']) {
      const { link } = await plain.createRequest(DCQL, { requestUriMethod: 'post' })
      await expect(parseAuthorizationRequest(via(link, kind), trust), kind).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
    }
  })
  it('§5.3 the wallet refuses request_uri_method values other than get/post, and the method without a request_uri', async () => {
    const { link } = await plain.createRequest(DCQL, { requestUriMethod: 'post' })
    await expect(
      parseAuthorizationRequest(link.replace('request_uri_method=post', 'request_uri_method=put'), trust),
    ).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
    const bare = new URL(link)
    bare.searchParams.delete('request_uri')
    await expect(parseAuthorizationRequest(bare.toString(), trust)).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
  })
  it('wallet_metadata: the verifier offers only the response encryption the wallet supports', async () => {
    const { link } = await encrypted.createRequest(DCQL, { requestUriMethod: 'post' })
    const r = await parseAuthorizationRequest(via(link, 'enc'), {
      ...trust,
      walletMetadata: {
        authorization_encryption_alg_values_supported: ['ECDH-ES'],
        authorization_encryption_enc_values_supported: ['A256GCM'],
      },
    })
    expect(r.encryption?.enc).toBe('A256GCM')
  })
  it('wallet_metadata.jwks: the request object comes back encrypted to the wallet key; the wallet needs that key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const walletMetadata = {
      jwks: { keys: [{ ...exportPublicJwk(publicKey), use: 'enc', alg: 'ECDH-ES', kid: 'w1' }] } as unknown as JsonObject,
    }
    const a = await plain.createRequest(DCQL, { requestUriMethod: 'post' })
    const r = await parseAuthorizationRequest(a.link, { ...trust, walletMetadata, requestDecryptionKey: privateKey })
    expect(r.nonce).toBe(a.nonce)
    const b = await plain.createRequest(DCQL, { requestUriMethod: 'post' })
    await expect(parseAuthorizationRequest(b.link, { ...trust, walletMetadata })).rejects.toMatchObject({
      code: 'openid4vp.request_invalid',
    })
  })

  describe('the request_uri endpoint parses the POST strictly (§5.10)', () => {
    const post = async (v: Verifier, id: string, body: string, headers: Record<string, string> = FORM, kind = 'plain') =>
      v.handleRequestUri(new Request(`${base}/${kind}/request/${id}`, { method: 'POST', headers, body }))
    const session = async (v: Verifier = plain) => {
      const { link } = await v.createRequest(DCQL, { requestUriMethod: 'post' })
      return String(new URL(link).searchParams.get('request_uri')).split('/').pop() as string
    }
    it('answers a fresh signed request object echoing wallet_nonce; ignores unknown parameters', async () => {
      const res = await post(plain, await session(), 'wallet_nonce=abc-123&foo=bar')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/oauth-authz-req+jwt')
      const jwt = decodeJwsUnverified(await res.text())
      expect(jwt.header.typ).toBe('oauth-authz-req+jwt')
      expect(jwt.payload.wallet_nonce).toBe('abc-123')
    })
    it('refuses other content types, oversize bodies, repeated or malformed parameters, unsupported algorithms', async () => {
      const bad: [string, Record<string, string>][] = [
        ['wallet_nonce=a', { 'content-type': 'application/json' }],
        [`wallet_nonce=${'a'.repeat(70_000)}`, FORM],
        ['wallet_nonce=a&wallet_nonce=b', FORM],
        ['wallet_nonce=has%20space', FORM],
        [`wallet_nonce=${'a'.repeat(513)}`, FORM],
        ['wallet_metadata=not-json', FORM],
        ['wallet_metadata=%5B%5D', FORM],
        [`wallet_metadata=${encodeURIComponent(JSON.stringify({ request_object_signing_alg_values_supported: 'ES256' }))}`, FORM],
        [
          `wallet_metadata=${encodeURIComponent(JSON.stringify({ request_object_signing_alg_values_supported: ['EdDSA'] }))}`,
          FORM,
        ],
        [
          `wallet_metadata=${encodeURIComponent(JSON.stringify({ jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] } }))}`,
          FORM,
        ],
      ]
      for (const [body, headers] of bad) {
        const res = await post(plain, await session(), body, headers)
        expect(res.status, body.slice(0, 60)).toBe(400)
        expect(await res.json()).toMatchObject({ error: 'invalid_request' })
      }
      const enc = await session(encrypted)
      const md = encodeURIComponent(JSON.stringify({ authorization_encryption_alg_values_supported: ['RSA-OAEP-256'] }))
      expect((await post(encrypted, enc, `wallet_metadata=${md}`, FORM, 'enc')).status).toBe(400)
    })
    it('refuses unknown sessions, by-value sessions and other methods', async () => {
      expect((await post(plain, 'nope', 'wallet_nonce=a')).status).toBe(404)
      const { sessionId } = await plain.createRequest(DCQL)
      expect((await post(plain, sessionId, 'wallet_nonce=a')).status).toBe(404)
      const id = await session()
      expect(
        (await plain.handleRequestUri(new Request(`${base}/plain/request/${id}`, { method: 'PUT', body: 'x' }))).status,
      ).toBe(405)
    })
  })
})
