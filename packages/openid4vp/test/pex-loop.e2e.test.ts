import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { b64uEncode, createSafeFetcher, type JsonObject } from '@bonafide/core'
import { parseCompactJws, signCompactJws } from '@bonafide/jose'
import { generatePrivateJwk, type Signer, signerFromPrivateJwk } from '@bonafide/keys'
import { openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { createNodeListener } from '@bonafide/oauth2'
import { decodeSdJwt, presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CredentialRecord } from '../src/dcql/index.js'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import {
  type AuthorizationRequest,
  parseAuthorizationRequest,
  parseDcApiRequest,
  postDirectResponse,
  Verifier,
  type VerifierOptions,
} from '../src/index.js'
import { buildPresentationSubmission, matchPresentationDefinition } from '../src/pex/index.js'
import { issueTestMdoc, issueTestSdJwtVc } from './fixtures.js'

const NS = 'org.iso.18013.5.1'
const MDL = 'org.iso.18013.5.1.mDL'
const PID = 'urn:eudi:pid:1'
const MDL_CLAIMS = {
  [NS]: { age_over_18: true, driving_privileges: [{ vehicle_category_code: 'B' }], family_name: 'Mustermann' },
}

/** Age from the PID, driving privileges from the mDL (PEX 2.1.1: the mdoc descriptor id is its doctype). */
const definition = {
  id: 'pid-and-mdl',
  input_descriptors: [
    {
      id: 'pid',
      format: { 'dc+sd-jwt': {} },
      constraints: {
        limit_disclosure: 'required',
        fields: [
          { path: ['$.vct'], filter: { type: 'string', const: PID } },
          { path: ['$.age_over_18'], filter: { type: 'boolean', const: true } },
        ],
      },
    },
    {
      id: MDL,
      format: { mso_mdoc: { alg: ['ES256'] } },
      constraints: {
        limit_disclosure: 'required',
        fields: [{ path: [`$['${NS}']['driving_privileges']`], intent_to_retain: true }],
      },
    },
  ],
}

/** A verifier behind a real HTTP server on 127.0.0.1: POST responses, GET request_uri. */
async function serveVerifier(pki: { root: { pem: string } }, options: (base: string) => VerifierOptions) {
  let verifier: Verifier | undefined
  let base = ''
  const server = createServer(
    createNodeListener(
      (r) => {
        const v = verifier as Verifier
        return new URL(r.url).pathname.startsWith('/request/') ? v.handleRequestUri(r) : v.handleResponse(r)
      },
      { origin: () => base },
    ),
  )
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://localhost:${(server.address() as AddressInfo).port}`
  verifier = new Verifier(options(base))
  return {
    verifier,
    trust: { trustAnchors: [pki.root.pem] },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

describe('PEX end to end over real HTTP on 127.0.0.1: PID (SD-JWT VC) + mDL (mdoc), presentation_definition instead of dcql_query', async () => {
  const verifierPki = await createDevChain({ dnsNames: ['localhost'] })
  const issuerPki = await createDevChain()
  const issuer = signerFromPrivateJwk(issuerPki.leaf.key.export({ format: 'jwk' }))
  const testIssuer = { signer: issuer, pki: issuerPki }
  const verifierSigner = signerFromPrivateJwk(verifierPki.leaf.key.export({ format: 'jwk' }))
  const validators = [
    sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
    msoMdocValidator({ trustAnchors: [issuerPki.root.pem] }),
  ]
  const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const pidHolder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const mdlHolder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const pid = await issueTestSdJwtVc(
    testIssuer,
    PID,
    { given_name: 'Erika', family_name: 'Mustermann', age_over_18: true },
    pidHolder.publicJwk,
  )
  const mdl = await issueTestMdoc(testIssuer, MDL, MDL_CLAIMS, mdlHolder.publicJwk)
  const records: CredentialRecord[] = [
    { id: 'pid', format: 'dc+sd-jwt', vct: PID, claims: decodeSdJwt(pid).claims },
    { id: 'mdl', format: 'mso_mdoc', doctype: MDL, claims: MDL_CLAIMS },
  ]

  /** The wallet's side: match the definition, present each chosen credential bound to this request, build the submission. */
  async function answer(request: AuthorizationRequest, only?: 'mdl') {
    if (!request.presentationDefinition) throw new Error('expected a Presentation Exchange request')
    const m = matchPresentationDefinition(request.presentationDefinition, records)
    expect(m.satisfied).toBe(true)
    const pc = m.descriptors.pid?.candidates[0]
    const mc = m.descriptors[MDL]?.candidates[0]
    if (!pc || !mc) throw new Error('no candidates')
    const sdVp = await presentSdJwt(pid, {
      disclose: pc.claims,
      kb: { signer: pidHolder, aud: request.clientId, nonce: request.nonce },
    })
    const mdocVp = b64uEncode(
      await presentMdoc({
        issuerSigned: mdl,
        disclose: { [NS]: mc.claims.map((p) => String(p[1])) },
        deviceSigner: mdlHolder,
        sessionTranscript: openid4vpSessionTranscript({
          clientId: request.clientId,
          nonce: request.nonce,
          responseUri: request.responseUri,
          jwkThumbprint: request.encryption?.thumbprint ?? null,
        }),
      }),
    )
    const presentations = [
      ...(only ? [] : [{ descriptorIds: 'pid', format: pc.format, presentation: sdVp }]),
      { descriptorIds: MDL, format: mc.format, presentation: mdocVp },
    ]
    return buildPresentationSubmission({ definition: request.presentationDefinition, presentations })
  }

  describe('direct_post', () => {
    let v: Awaited<ReturnType<typeof serveVerifier>>
    beforeAll(async () => {
      v = await serveVerifier(verifierPki, (base) => ({
        clientId: 'x509_san_dns:localhost',
        signer: verifierSigner,
        x5c: verifierPki.x5c,
        responseUri: `${base}/post`,
        redirectUri: `${base}/done`,
        requestUriBase: `${base}/request`,
        validators,
      }))
    })
    afterAll(() => v.close())

    it('PEX 2.1.1 + OpenID4VP: request → match → present → submission → the verifier accepts both descriptors', async () => {
      const { sessionId, link, requestObject } = await v.verifier.createPexRequest(definition)
      // The request object carries presentation_definition and no dcql_query.
      const claims = parseCompactJws(requestObject).payload
      expect(claims.presentation_definition).toEqual(definition)
      expect(claims.dcql_query).toBeUndefined()
      const request = await parseAuthorizationRequest(link, { ...v.trust, fetcher })
      expect(request.dcql).toBeUndefined()
      expect(request.presentationDefinition?.id).toBe('pid-and-mdl')
      const built = await answer(request)
      expect(built.presentationSubmission.descriptor_map.map((e) => [e.id, e.path])).toEqual([
        ['pid', '$[0]'],
        [MDL, '$[1]'],
      ])
      const posted = await postDirectResponse(fetcher, request, built.vpToken, built.presentationSubmission)
      expect(String(posted.redirect_uri)).toMatch(/#response_code=/)
      const result = await v.verifier.result(sessionId)
      expect(result?.error).toBeUndefined()
      expect(result).toMatchObject({ state: 'accepted', valid: true, unsatisfiedSets: [] })
      expect(result?.credentials.map((c) => [c.queryId, c.format, c.valid])).toEqual([
        ['pid', 'dc+sd-jwt', true],
        [MDL, 'mso_mdoc', true],
      ])
      expect(result?.credentials[0]?.claims[0]).toMatchObject({ age_over_18: true, vct: PID })
      expect(result?.credentials[0]?.claims[0]?.given_name).toBeUndefined()
      expect(result?.credentials[1]?.claims[0]).toEqual({ [NS]: { driving_privileges: [{ vehicle_category_code: 'B' }] } })
      // PEX §Retention Feature: only the mDL driving privileges may be kept.
      expect(result?.pex?.descriptors.map((d) => d.retainable)).toEqual([[[]], [[`$['${NS}']['driving_privileges']`]]])
      const code = String(posted.redirect_uri).split('response_code=')[1] as string
      expect((await v.verifier.resultByResponseCode(code))?.valid).toBe(true)
    })

    it('§8.2 the same response replayed is refused (state and nonce are used once)', async () => {
      const { sessionId, link } = await v.verifier.createPexRequest(definition)
      const request = await parseAuthorizationRequest(link, { ...v.trust, fetcher })
      const built = await answer(request)
      await postDirectResponse(fetcher, request, built.vpToken, built.presentationSubmission)
      expect((await v.verifier.result(sessionId))?.valid).toBe(true)
      await expect(postDirectResponse(fetcher, request, built.vpToken, built.presentationSubmission)).rejects.toMatchObject({
        code: 'openid4vp.response_invalid',
      })
      expect((await v.verifier.result(sessionId))?.state).toBe('accepted')
    })

    it('PEX §Presentation Submission: a submission missing a required input descriptor is rejected', async () => {
      const { sessionId, link } = await v.verifier.createPexRequest(definition)
      const request = await parseAuthorizationRequest(link, { ...v.trust, fetcher })
      const built = await answer(request)
      const partial = {
        ...built.presentationSubmission,
        descriptor_map: built.presentationSubmission.descriptor_map.filter((e) => e.id === 'pid'),
      }
      await postDirectResponse(fetcher, request, built.vpToken, partial)
      const result = await v.verifier.result(sessionId)
      expect(result).toMatchObject({ state: 'rejected', valid: false, error: { code: 'openid4vp.pex_descriptor_missing' } })
      expect(result?.credentials.find((c) => c.queryId === MDL)).toMatchObject({ present: false, valid: false })
    })

    it('PEX §Presentation Submission: a response without presentation_submission, or answering another definition, is rejected', async () => {
      const a = await v.verifier.createPexRequest(definition)
      const ra = await parseAuthorizationRequest(a.link, { ...v.trust, fetcher })
      await postDirectResponse(fetcher, ra, (await answer(ra)).vpToken)
      expect(await v.verifier.result(a.sessionId)).toMatchObject({
        valid: false,
        error: { code: 'openid4vp.pex_submission_invalid' },
      })
      const b = await v.verifier.createPexRequest(definition)
      const rb = await parseAuthorizationRequest(b.link, { ...v.trust, fetcher })
      const built = await answer(rb)
      await postDirectResponse(fetcher, rb, built.vpToken, { ...built.presentationSubmission, definition_id: 'other' })
      expect(await v.verifier.result(b.sessionId)).toMatchObject({
        valid: false,
        error: { code: 'openid4vp.pex_definition_mismatch' },
      })
    })

    it('PEX: a response repeating presentation_submission or vp_token is rejected', async () => {
      for (const [repeated, code] of [
        ['presentation_submission', 'openid4vp.pex_submission_invalid'],
        ['vp_token', 'openid4vp.vp_token_invalid'],
      ] as const) {
        const { sessionId, link } = await v.verifier.createPexRequest(definition)
        const request = await parseAuthorizationRequest(link, { ...v.trust, fetcher })
        const built = await answer(request)
        const form = new URLSearchParams({
          vp_token: JSON.stringify(built.vpToken),
          presentation_submission: JSON.stringify(built.presentationSubmission),
          state: request.state ?? '',
        })
        form.append(repeated, form.get(repeated) ?? '')
        const res = await fetcher(request.responseUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        })
        expect(res.status).toBe(200)
        expect(await v.verifier.result(sessionId)).toMatchObject({ state: 'rejected', valid: false, error: { code } })
      }
    })

    it('§5.10 by reference: the request object fetched from request_uri carries the presentation_definition', async () => {
      const { sessionId, link } = await v.verifier.createPexRequest(definition, { requestUriMethod: 'get' })
      expect(link).toContain('request_uri=')
      const request = await parseAuthorizationRequest(link, { ...v.trust, fetcher })
      expect(request.presentationDefinition?.id).toBe('pid-and-mdl')
      const built = await answer(request)
      await postDirectResponse(fetcher, request, built.vpToken, built.presentationSubmission)
      expect((await v.verifier.result(sessionId))?.valid).toBe(true)
    })

    it('the verifier refuses to sign an invalid presentation definition', async () => {
      const dup = { ...definition, input_descriptors: [definition.input_descriptors[0], definition.input_descriptors[0]] }
      await expect(v.verifier.createPexRequest(dup)).rejects.toMatchObject({ code: 'openid4vp.pex_definition_invalid' })
      await expect(v.verifier.createPexRequest({ id: 'x' })).rejects.toMatchObject({ code: 'openid4vp.pex_definition_invalid' })
    })
  })

  describe('direct_post.jwt (§8.3)', () => {
    let v: Awaited<ReturnType<typeof serveVerifier>>
    beforeAll(async () => {
      v = await serveVerifier(verifierPki, (base) => ({
        clientId: 'x509_san_dns:localhost',
        signer: verifierSigner,
        x5c: verifierPki.x5c,
        responseUri: `${base}/post`,
        responseMode: 'direct_post.jwt',
        validators,
      }))
    })
    afterAll(() => v.close())

    it('an encrypted PEX response (presentation_submission inside the JWE) is accepted; the mdoc transcript binds the key', async () => {
      const both = await v.verifier.createPexRequest(definition)
      const rb = await parseAuthorizationRequest(both.link, { ...v.trust, fetcher })
      expect(rb.encryption).toBeDefined()
      const built = await answer(rb)
      await postDirectResponse(fetcher, rb, built.vpToken, built.presentationSubmission)
      expect(await v.verifier.result(both.sessionId)).toMatchObject({ state: 'accepted', valid: true })
      // One presentation: the vp_token is the presentation itself (path `$`).
      const pick = {
        ...definition,
        input_descriptors: definition.input_descriptors.map((d) => ({ ...d, group: ['A'] })),
        submission_requirements: [{ rule: 'pick', count: 1, from: 'A' }],
      }
      const one = await v.verifier.createPexRequest(pick)
      const ro = await parseAuthorizationRequest(one.link, { ...v.trust, fetcher })
      const single = await answer(ro, 'mdl')
      expect(typeof single.vpToken).toBe('string')
      await postDirectResponse(fetcher, ro, single.vpToken, single.presentationSubmission)
      expect(await v.verifier.result(one.sessionId)).toMatchObject({ state: 'accepted', valid: true })
    })
  })

  describe('the wallet refuses a request with both, or neither, of dcql_query and presentation_definition', () => {
    const CLIENT = 'x509_san_dns:localhost'
    const resign = (payload: JsonObject, signer: Signer) =>
      signCompactJws({ typ: 'oauth-authz-req+jwt', x5c: verifierPki.x5c }, payload, signer)
    const dcql = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }] }
    const verifier = new Verifier({
      clientId: CLIENT,
      signer: verifierSigner,
      x5c: verifierPki.x5c,
      responseUri: 'https://localhost/post',
      validators,
    })

    it('OpenID4VP 1.0 §5.1 + PEX: a signed request object carrying both is refused', async () => {
      const { requestObject } = await verifier.createPexRequest(definition)
      const payload = parseCompactJws(requestObject).payload
      const both = await resign({ ...payload, dcql_query: dcql }, verifierSigner)
      const link = `openid4vp://?client_id=${encodeURIComponent(CLIENT)}&request=${both}`
      await expect(parseAuthorizationRequest(link, { trustAnchors: [verifierPki.root.pem] })).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
      const { presentation_definition: _pd, ...neither } = payload
      const none = `openid4vp://?client_id=${encodeURIComponent(CLIENT)}&request=${await resign(neither, verifierSigner)}`
      await expect(parseAuthorizationRequest(none, { trustAnchors: [verifierPki.root.pem] })).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
    })

    it('§5.9.3 an unsigned redirect_uri request carrying both is refused; with only presentation_definition it parses', async () => {
      const q = new URLSearchParams({
        client_id: 'redirect_uri:https://verifier.example/post',
        response_type: 'vp_token',
        response_mode: 'direct_post',
        nonce: 'n-1',
        presentation_definition: JSON.stringify(definition),
      })
      const ok = await parseAuthorizationRequest(`openid4vp://?${q}`, { allowRedirectUri: true })
      expect(ok.presentationDefinition?.input_descriptors.map((d) => d.id)).toEqual(['pid', MDL])
      q.set('dcql_query', JSON.stringify(dcql))
      await expect(parseAuthorizationRequest(`openid4vp://?${q}`, { allowRedirectUri: true })).rejects.toMatchObject({
        code: 'openid4vp.request_invalid',
      })
    })

    it('PEX: a presentation_definition the wallet cannot parse strictly is refused', async () => {
      const { requestObject } = await verifier.createPexRequest(definition)
      const payload = parseCompactJws(requestObject).payload
      const bad = await resign(
        { ...payload, presentation_definition: { id: 'p', input_descriptors: [{ id: 'x' }] } },
        verifierSigner,
      )
      const link = `openid4vp://?client_id=${encodeURIComponent(CLIENT)}&request=${bad}`
      await expect(parseAuthorizationRequest(link, { trustAnchors: [verifierPki.root.pem] })).rejects.toMatchObject({
        code: 'openid4vp.pex_definition_invalid',
      })
    })

    it('Appendix A: a DC API request carries a dcql_query, never a presentation_definition', async () => {
      const data = { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'n-1', presentation_definition: definition }
      await expect(
        parseDcApiRequest({ protocol: 'openid4vp-v1-unsigned', data }, { origin: 'https://verifier.example' }),
      ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
    })
  })
})
