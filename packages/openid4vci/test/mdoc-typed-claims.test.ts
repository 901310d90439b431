import { Buffer } from 'node:buffer'
import { b64uDecode, b64uEncode, type JsonObject, OAuthError } from '@bonafide/core'
import { Tagged } from '@bonafide/cose'
import { createLocalSigner, MemoryKeyStore, type Signer } from '@bonafide/keys'
import { issuerSignedElementValues, toElementValues } from '@bonafide/mdoc'
import type { ClaimsValidationInput } from '@bonafide/openid4vci'
import { WalletClient } from '@bonafide/openid4vci'
import { msoMdocFormat } from '@bonafide/openid4vci/formats'
import { MDL_DOCTYPE, validateMdocElements } from '@bonafide/schema'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopbackFetcher, type Running, startIssuer } from './helpers.js'

const NS = 'org.iso.18013.5.1'
// A JPEG's first bytes, with bytes that are not valid UTF-8 (0xff, 0xd8): a string could not carry them.
const PORTRAIT = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9])
const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** An mDL in issuer JSON: binary and date elements in the typed forms of @bonafide/mdoc. */
const MDL_CLAIMS = {
  [NS]: {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: { '$full-date': '1964-08-12' },
    issue_date: { '$full-date': '2026-01-01' },
    expiry_date: { '$full-date': '2036-01-01' },
    issuing_country: 'DE',
    issuing_authority: 'Stadt Köln',
    document_number: 'D1234567',
    portrait: { $bstr: b64uEncode(PORTRAIT) },
    portrait_capture_date: { $tdate: '2025-11-30T08:15:00Z' },
    signature_usual_mark: { $bstr: b64uEncode(SIGNATURE) },
    driving_privileges: [{ vehicle_category_code: 'B', issue_date: { '$full-date': '2010-05-01' } }],
    un_distinguishing_sign: 'D',
    age_over_18: true,
  },
}

function counting(s: Signer): Signer & { count: () => number } {
  let n = 0
  const sign = (d: Uint8Array) => {
    n++
    return s.sign(d)
  }
  return { alg: s.alg, keyRef: s.keyRef, publicJwk: s.publicJwk, sign, count: () => n }
}

/** The issuer's doctype check, over CBOR element values (typed JSON converted first). */
function validateMdl({ claims }: ClaimsValidationInput) {
  return validateMdocElements(MDL_DOCTYPE, toElementValues(claims as Record<string, JsonObject>), { unknown: 'reject' })
}

describe('OpenID4VCI mso_mdoc (Appendix A.2): an mDL with typed element values (ISO 18013-5 §7.2.1)', () => {
  let r: Running
  let signer: ReturnType<typeof counting>
  let rootPem: string
  let claims: JsonObject = MDL_CLAIMS
  const errors: unknown[] = []

  beforeAll(async () => {
    const pki = await createDevChain()
    rootPem = pki.root.pem
    signer = counting(createLocalSigner(pki.leaf.key, { store: 't', id: 'ds' }, 'ES256'))
    r = await startIssuer({
      formats: [msoMdocFormat({ signer, x5chain: [pki.leaf.der] })],
      configurations: { mdl: { format: 'mso_mdoc', doctype: MDL_DOCTYPE.docType, scope: 'mdl' } },
      claims: () => claims,
      validateClaims: validateMdl,
      onError: (e) => errors.push(e),
    })
  })
  afterAll(() => r.close())

  const receive = async (claimsView?: 'plain' | 'typed') => {
    const wallet = new WalletClient({
      fetcher: loopbackFetcher(),
      keyStore: new MemoryKeyStore(),
      formats: [msoMdocFormat({ trustAnchors: [rootPem], ...(claimsView ? { claimsView } : {}) })],
    })
    const { link } = await r.issuer.createOffer({ configurationIds: ['mdl'] })
    return wallet.receiveOffer(link, { count: 2, configurationId: 'mdl' })
  }

  it('§7.2.1 portrait and signature_usual_mark are CBOR bstr, birth_date tag 1004, portrait_capture_date tag 0', async () => {
    const res = await receive()
    expect(res.credentials).toHaveLength(2)
    const bytes = b64uDecode(String(res.credentials[0]?.credential))
    const els = issuerSignedElementValues(bytes)[NS] ?? {}
    expect(els.portrait).toBeInstanceOf(Uint8Array)
    expect(els.portrait).toEqual(PORTRAIT)
    expect(els.signature_usual_mark).toEqual(SIGNATURE)
    expect(els.birth_date).toEqual(new Tagged(1004, '1964-08-12'))
    expect(els.portrait_capture_date).toEqual(new Tagged(0, '2025-11-30T08:15:00Z'))
    // On the wire: bstr head 0x4e (major type 2, 14 bytes) and 0xd9 0x03 0xec (tag 1004) before the date.
    const hex = Buffer.from(bytes).toString('hex')
    expect(hex).toContain(`4e${Buffer.from(PORTRAIT).toString('hex')}`)
    expect(hex).toContain(`d903ec6a${Buffer.from('1964-08-12').toString('hex')}`)
  })

  it('the issued elements satisfy MDL_DOCTYPE (validateMdocElements, unknown elements rejected)', async () => {
    const res = await receive()
    const els = issuerSignedElementValues(b64uDecode(String(res.credentials[1]?.credential)))
    expect(validateMdocElements(MDL_DOCTYPE, els, { unknown: 'reject' })).toEqual({ valid: true, errors: [] })
  })

  it('the wallet sees plain JSON by default (DCQL values compare strings), the exact typed claims with claimsView typed', async () => {
    const plain = (await receive()).credentials[0]?.claims?.[NS] as JsonObject
    expect(plain.portrait).toBe(b64uEncode(PORTRAIT))
    expect(plain.birth_date).toBe('1964-08-12')
    const typed = (await receive('typed')).credentials[0]?.claims
    expect(typed).toEqual(MDL_CLAIMS)
  })

  it('§8.3.1.2 a malformed typed value is credential_request_denied, its path in the logged cause, nothing signed', async () => {
    const signed = signer.count()
    claims = { [NS]: { ...MDL_CLAIMS[NS], portrait: { $bstr: 'not base64url!' } } }
    // without a doctype hook in the way: the adapter itself refuses
    const bare = await startIssuer({
      formats: [msoMdocFormat({ signer, x5chain: [Uint8Array.from([0x30, 0x00])] })],
      configurations: { mdl: { format: 'mso_mdoc', doctype: MDL_DOCTYPE.docType, scope: 'mdl' } },
      claims: () => claims,
      onError: (e) => errors.push(e),
    })
    try {
      const wallet = new WalletClient({
        fetcher: loopbackFetcher(),
        keyStore: new MemoryKeyStore(),
        formats: [msoMdocFormat({ trustAnchors: [rootPem] })],
      })
      const { link } = await bare.issuer.createOffer({ configurationIds: ['mdl'] })
      const err = await wallet.receiveOffer(link, { count: 2, configurationId: 'mdl' }).catch((e: unknown) => e)
      expect(err).toMatchObject({ error: 'credential_request_denied' })
      const logged = errors.at(-1) as OAuthError
      expect(logged).toBeInstanceOf(OAuthError)
      expect(logged.cause).toMatchObject({
        code: 'openid4vci.claims_invalid',
        details: { configurationId: 'mdl', paths: [`/${NS}/portrait`] },
      })
      expect(signer.count()).toBe(signed)
    } finally {
      claims = MDL_CLAIMS
      await bare.close()
    }
  })

  it('typed values are read by the issuer hook too: a portrait given as a plain string breaks MDL_DOCTYPE', () => {
    const input = { configurationId: 'mdl', format: 'mso_mdoc', configuration: {} }
    expect(validateMdl({ ...input, claims: MDL_CLAIMS }).valid).toBe(true)
    const plain = validateMdl({ ...input, claims: { [NS]: { ...MDL_CLAIMS[NS], portrait: b64uEncode(PORTRAIT) } } })
    expect(plain.errors.map((e) => e.path)).toEqual([`/${NS}/portrait`])
  })
})
