import { createPublicKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { b64uDecode, hexDecode } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain, vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import {
  dcApiDraft24SessionTranscript,
  dcApiSessionTranscript,
  draft18SessionTranscript,
  issueMdoc,
  openid4vpSessionTranscript,
  presentMdoc,
  verifyDeviceResponse,
} from '../src/index.js'

const NS = 'eu.europa.ec.eudi.pid.1'
const claims = { [NS]: { family_name: 'Mustermann', given_name: 'Erika', age_over_18: true, birth_date: '1964-08-12' } }

describe('DeviceResponse with OpenID4VP session transcripts', async () => {
  const pki = await createDevChain()
  const issuer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const issuerSigned = await issueMdoc({
    signer: issuer,
    x5chain: [pki.leaf.der],
    docType: NS,
    claims,
    deviceKey: holder.publicJwk,
  })
  const st = openid4vpSessionTranscript({
    clientId: 'x509_san_dns:verifier.example',
    nonce: 'n-1',
    responseUri: 'https://verifier.example/post',
    jwkThumbprint: null,
  })
  const trust = { trustAnchors: [pki.root.pem] }

  it('OpenID4VP 1.0 B.2.6.1: only the requested elements, device signature over the verifier transcript', async () => {
    const dr = await presentMdoc({
      issuerSigned,
      disclose: { [NS]: ['age_over_18', 'given_name'] },
      deviceSigner: holder,
      sessionTranscript: st,
    })
    const r = verifyDeviceResponse(dr, { ...trust, sessionTranscript: st, docType: NS })
    expect(r.status).toBe(0)
    expect(r.documents[0]?.claims[NS]).toEqual({ age_over_18: true, given_name: 'Erika' })
  })
  it('rejects another transcript (nonce, client, response URI, thumbprint, DC API origin)', async () => {
    const dr = await presentMdoc({
      issuerSigned,
      disclose: { [NS]: ['age_over_18'] },
      deviceSigner: holder,
      sessionTranscript: st,
    })
    for (const other of [
      openid4vpSessionTranscript({
        clientId: 'x509_san_dns:verifier.example',
        nonce: 'n-2',
        responseUri: 'https://verifier.example/post',
      }),
      openid4vpSessionTranscript({
        clientId: 'x509_san_dns:evil.example',
        nonce: 'n-1',
        responseUri: 'https://verifier.example/post',
      }),
      openid4vpSessionTranscript({
        clientId: 'x509_san_dns:verifier.example',
        nonce: 'n-1',
        responseUri: 'https://verifier.example/post',
        jwkThumbprint: new Uint8Array(32),
      }),
      dcApiSessionTranscript({ origin: 'https://verifier.example', nonce: 'n-1' }),
    ]) {
      expect(() => verifyDeviceResponse(dr, { ...trust, sessionTranscript: other })).toThrow(
        expect.objectContaining({ code: 'mdoc.device_signature_invalid' }),
      )
    }
  })
  it('rejects a device signature by another key, and a request for an element the credential lacks', async () => {
    const dr = await presentMdoc({
      issuerSigned,
      disclose: { [NS]: ['age_over_18'] },
      deviceSigner: signerFromPrivateJwk(generatePrivateJwk('ES256')),
      sessionTranscript: st,
    })
    expect(() => verifyDeviceResponse(dr, { ...trust, sessionTranscript: st })).toThrow(
      expect.objectContaining({ code: 'mdoc.device_signature_invalid' }),
    )
    await expect(
      presentMdoc({ issuerSigned, disclose: { [NS]: ['height'] }, deviceSigner: holder, sessionTranscript: st }),
    ).rejects.toMatchObject({ code: 'mdoc.element_missing' })
  })
})

const dir = vectorsPath('mdoc')
const vectors = dir
  ? (JSON.parse(readFileSync(join(dir, 'real-world-device-responses.json'), 'utf8')) as Record<string, Record<string, any>>)
  : {}
const bytesOf = (v: Record<string, any>) => (v.encoding === 'hex' ? hexDecode(v.deviceResponse) : b64uDecode(v.deviceResponse))
const keyOf = (pem: string) => createPublicKey(new X509Certificate(pem).publicKey.export({ format: 'pem', type: 'spki' }))
const at = (d: string) => ({ now: () => Date.parse(`${d}T12:00:00Z`) })

describe.skipIf(!dir)('DeviceResponses captured from real wallets verify with their transcripts', () => {
  it('Google wallet over the DC API (draft 24 handover)', () => {
    const v = vectors['google-cm-wallet-dc-api-draft24']!
    const p = v.params
    const st = dcApiDraft24SessionTranscript({ origin: p.origin, clientId: p.clientId, nonce: p.nonce })
    const r = verifyDeviceResponse(bytesOf(v), {
      issuerKeys: [keyOf(v.signingCertificate[0])],
      sessionTranscript: st,
      clock: at(p.now),
    })
    expect(r.documents.length).toBe(1)
  })
  it('Animo/Paradym over OpenID4VP 1.0 with an encrypted response (B.2.6.1, JWK thumbprint)', () => {
    const v = vectors['animo-paradym-oid4vp-1.0']!
    const p = v.params
    const st = openid4vpSessionTranscript({
      clientId: p.clientId,
      nonce: p.nonce,
      responseUri: p.responseUri,
      jwkThumbprint: hexDecode(p.jwkThumbprintHex),
    })
    const r = verifyDeviceResponse(bytesOf(v), { trustAnchors: [v.certificates[1]], sessionTranscript: st, clock: at(p.now) })
    expect(r.documents[0]?.docType).toBe('eu.europa.ec.eudi.pid.1')
  })
  it('French playground over the draft-18 handover', () => {
    const v = vectors['france-playground-oid4vp-draft18']!
    const p = v.params
    const st = draft18SessionTranscript({
      clientId: p.clientId,
      responseUri: p.responseUri,
      verifierNonce: p.verifierGeneratedNonce,
      mdocNonce: p.mdocGeneratedNonce,
    })
    const r = verifyDeviceResponse(bytesOf(v), {
      issuerKeys: [keyOf(v.issuerCertificate[0])],
      sessionTranscript: st,
      clock: at(p.now),
    })
    expect(r.documents.length).toBe(1)
  })
  it('Ubique over the draft-18 handover', () => {
    const v = vectors['ubique-oid4vp-draft18']!
    const p = v.params
    const st = draft18SessionTranscript({
      clientId: p.clientId,
      responseUri: p.responseUri,
      verifierNonce: p.verifierGeneratedNonce,
      mdocNonce: p.mdocGeneratedNonce,
    })
    const r = verifyDeviceResponse(bytesOf(v), {
      issuerKeys: [keyOf(v.issuerCertificate[0])],
      sessionTranscript: st,
      clock: at(p.now),
    })
    expect(r.documents.length).toBe(1)
  })
})

describe('deviceMac (ISO 18013-5 §9.1.3.5)', async () => {
  const { generateKeyPairSync } = await import('node:crypto')
  const { decodeCbor, encodeCbor } = await import('@bonafide/cose')
  const { createDeviceMac, deviceAuthenticationBytes, eMacKey } = await import('../src/index.js')
  const { exportPublicJwk } = await import('@bonafide/keys')
  it('verifies an ECDH + HMAC device MAC with the reader key, and refuses another reader key or transcript', async () => {
    const pki = await createDevChain()
    const issuer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
    const device = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const reader = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const holder = signerFromPrivateJwk(device.privateKey.export({ format: 'jwk' }))
    const issuerSigned = await issueMdoc({
      signer: issuer,
      x5chain: [pki.leaf.der],
      docType: NS,
      claims,
      deviceKey: holder.publicJwk,
    })
    const st = openid4vpSessionTranscript({ clientId: 'c', nonce: 'n', responseUri: 'https://r' })
    // Build a deviceSignature response, then swap in a deviceMac made with the device's ECDH key.
    const dr = decodeCbor(
      await presentMdoc({ issuerSigned, disclose: { [NS]: ['age_over_18'] }, deviceSigner: holder, sessionTranscript: st }),
    ) as Map<any, any>
    const doc = dr.get('documents')[0] as Map<any, any>
    const ds = doc.get('deviceSigned') as Map<any, any>
    const key = eMacKey(device.privateKey, exportPublicJwk(reader.publicKey), st)
    ds.set('deviceAuth', new Map([['deviceMac', createDeviceMac(key, deviceAuthenticationBytes(st, NS, ds.get('nameSpaces')))]]))
    const bytes = encodeCbor(dr)
    const r = verifyDeviceResponse(bytes, {
      trustAnchors: [pki.root.pem],
      sessionTranscript: st,
      readerPrivateKey: reader.privateKey,
    })
    expect(r.documents[0]?.claims[NS]).toEqual({ age_over_18: true })
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(() =>
      verifyDeviceResponse(bytes, { trustAnchors: [pki.root.pem], sessionTranscript: st, readerPrivateKey: other.privateKey }),
    ).toThrow(expect.objectContaining({ code: 'mdoc.device_signature_invalid' }))
    expect(() => verifyDeviceResponse(bytes, { trustAnchors: [pki.root.pem], sessionTranscript: st })).toThrow(
      expect.objectContaining({ code: 'mdoc.device_auth_unsupported' }),
    )
  })
})
