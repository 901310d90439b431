import { b64uEncode } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueMdoc, openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { issueSdJwtVc, presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { parseDcqlQuery } from '../src/dcql/index.js'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import { MemoryNonceGuard, type ValidateResponseOptions, validateVpToken } from '../src/index.js'

const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const CLIENT = 'x509_san_dns:verifier.example'
const RESPONSE_URI = 'https://verifier.example/post'
const PID = 'urn:eudi:pid:1'
const MDL = 'org.iso.18013.5.1.mDL'
const NS = 'org.iso.18013.5.1'

async function pid(nonce: string, disclose = ['age_over_18'], vct = PID) {
  const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const vc = await issueSdJwtVc({
    signer: issuer,
    iss: 'https://issuer.example',
    vct,
    claims: { given_name: 'Erika', age_over_18: true },
    disclosable: ['given_name', 'age_over_18'],
    holderKey: holder.publicJwk,
  })
  return presentSdJwt(vc, { disclose, kb: { signer: holder, aud: CLIENT, nonce } })
}

describe('multi-credential response validation (OpenID4VP 1.0 §6.4, §8.1)', async () => {
  const pki = await createDevChain()
  const ds = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  async function mdl(nonce: string) {
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const issuerSigned = await issueMdoc({
      signer: ds,
      x5chain: [pki.leaf.der],
      docType: MDL,
      claims: { [NS]: { age_over_18: true, family_name: 'M' } },
      deviceKey: holder.publicJwk,
    })
    const st = openid4vpSessionTranscript({ clientId: CLIENT, nonce, responseUri: RESPONSE_URI })
    return b64uEncode(
      await presentMdoc({ issuerSigned, disclose: { [NS]: ['age_over_18'] }, deviceSigner: holder, sessionTranscript: st }),
    )
  }
  const validators = [
    sdJwtVcValidator({ issuerKeys: { keys: [issuer.publicJwk] } }),
    msoMdocValidator({ trustAnchors: [pki.root.pem] }),
  ]
  const pidQ = { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['age_over_18'] }] }
  const mdlQ = { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'age_over_18'] }] }
  let n = 0
  const run = (dcql: unknown, vpToken: unknown, nonce: string, extra: Partial<ValidateResponseOptions> = {}) =>
    validateVpToken({
      dcql: parseDcqlQuery(dcql),
      vpToken,
      validators,
      clientId: CLIENT,
      nonce,
      responseUri: RESPONSE_URI,
      nonceGuard: extra.nonceGuard ?? new MemoryNonceGuard(),
      ...extra,
    })
  const fresh = () => `nonce-${++n}`

  it('mixed dc+sd-jwt + mso_mdoc, both valid: each format validator runs, response accepted', async () => {
    const nonce = fresh()
    const r = await run({ credentials: [pidQ, mdlQ] }, { pid: [await pid(nonce)], mdl: [await mdl(nonce)] }, nonce)
    expect(r.valid).toBe(true)
    expect(r.credentials.map((c) => [c.queryId, c.valid])).toEqual([
      ['pid', true],
      ['mdl', true],
    ])
    expect(r.credentials[1]?.claims[0]).toEqual({ [NS]: { age_over_18: true } })
  })
  it('two required credential sets with one required credential missing: rejected, the set reported', async () => {
    const nonce = fresh()
    const dcql = { credentials: [pidQ, mdlQ], credential_sets: [{ options: [['pid']] }, { options: [['mdl']] }] }
    const r = await run(dcql, { pid: [await pid(nonce)] }, nonce)
    expect(r.valid).toBe(false)
    expect(r.unsatisfiedSets).toEqual([1])
  })
  it('multiple=false with two presentations: rejected', async () => {
    const nonce = fresh()
    const r = await run({ credentials: [pidQ] }, { pid: [await pid(nonce), await pid(nonce)] }, nonce)
    expect(r.valid).toBe(false)
    expect(r.credentials[0]?.error?.code).toBe('openid4vp.multiple_not_allowed')
  })
  it('multiple=true with three: all three validated, accepted', async () => {
    const nonce = fresh()
    const r = await run(
      { credentials: [{ ...pidQ, multiple: true }] },
      { pid: [await pid(nonce), await pid(nonce), await pid(nonce)] },
      nonce,
    )
    expect(r.valid).toBe(true)
    expect(r.credentials[0]?.claims).toHaveLength(3)
  })
  it('an optional query with no entry: accepted', async () => {
    const nonce = fresh()
    const dcql = { credentials: [pidQ, mdlQ], credential_sets: [{ options: [['pid']] }, { options: [['mdl']], required: false }] }
    const r = await run(dcql, { pid: [await pid(nonce)] }, nonce)
    expect(r.valid).toBe(true)
    expect(r.credentials[1]).toMatchObject({ present: false, valid: false })
  })
  it('atomic: one failing signature rejects the whole response, and every query is still reported', async () => {
    const nonce = fresh()
    const bad = (await pid(nonce)).replace(/\.([A-Za-z0-9_-]{10})/, '.AAAAAAAAAA')
    const r = await run({ credentials: [pidQ, mdlQ] }, { pid: [bad], mdl: [await mdl(nonce)] }, nonce)
    expect(r.valid).toBe(false)
    expect(r.credentials.map((c) => c.valid)).toEqual([false, true])
    const lenient = await run(
      { credentials: [pidQ, mdlQ], credential_sets: [{ options: [['pid'], ['mdl']] }] },
      { pid: [bad], mdl: [await mdl(fresh())] },
      `x-${nonce}`,
      { atomic: false },
    )
    expect(lenient.credentials[0]?.valid).toBe(false)
  })
  it('wrong format for a query id is rejected; unknown query ids and empty entries too', async () => {
    const nonce = fresh()
    const r = await run({ credentials: [pidQ, mdlQ] }, { pid: [await mdl(nonce)], mdl: [await mdl(nonce)] }, nonce)
    expect(r.valid).toBe(false)
    expect(r.credentials[0]?.valid).toBe(false)
    expect((await run({ credentials: [pidQ] }, { other: ['x'] }, fresh())).error?.code).toBe('openid4vp.unknown_query_id')
    expect((await run({ credentials: [pidQ] }, { pid: [] }, fresh())).credentials[0]?.error?.code).toBe(
      'openid4vp.vp_token_invalid',
    )
  })
  it('re-checks that what was disclosed is what was asked, and flags over-disclosure', async () => {
    const nonce = fresh()
    const r = await run(
      { credentials: [{ ...pidQ, claims: [{ path: ['given_name'] }] }] },
      { pid: [await pid(nonce, ['age_over_18'])] },
      nonce,
    )
    expect(r.credentials[0]?.error?.code).toBe('openid4vp.claims_not_disclosed')
    const n2 = fresh()
    const over = await run({ credentials: [pidQ] }, { pid: [await pid(n2, ['age_over_18', 'given_name'])] }, n2)
    expect(over.valid).toBe(true)
    expect(over.credentials[0]?.overDisclosed).toEqual([['given_name']])
    const n3 = fresh()
    const wrongType = await run({ credentials: [pidQ] }, { pid: [await pid(n3, ['age_over_18'], 'urn:other')] }, n3)
    expect(wrongType.credentials[0]?.error?.code).toBe('openid4vp.meta_mismatch')
  })
  it('nonce reuse across sessions is rejected; a presentation for another nonce fails holder binding', async () => {
    const guard = new MemoryNonceGuard()
    const nonce = fresh()
    const vp = { pid: [await pid(nonce)] }
    expect((await run({ credentials: [pidQ] }, vp, nonce, { nonceGuard: guard })).valid).toBe(true)
    expect((await run({ credentials: [pidQ] }, vp, nonce, { nonceGuard: guard })).error?.code).toBe('openid4vp.replay')
    const other = await run({ credentials: [pidQ] }, vp, fresh())
    expect(other.credentials[0]?.error?.code).toBe('sd_jwt.kb_nonce_mismatch')
  })
})
