import { createPublicKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { b64uDecode, hexDecode, hexEncode } from '@bonafide/core'
import { type CborValue, decodeCbor, encodeCbor } from '@bonafide/cose'
import { vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { verifyIssuerSigned } from '../src/index.js'

const dir = vectorsPath('mdoc')
const vectors = dir
  ? (JSON.parse(readFileSync(join(dir, 'real-world-device-responses.json'), 'utf8')) as Record<string, Record<string, any>>)
  : {}
const bytesOf = (v: Record<string, any>, key: string) => (v.encoding === 'hex' ? hexDecode(v[key]) : b64uDecode(v[key]))

describe.skipIf(!dir)('real-world mdoc vectors (partial: IssuerSigned; DeviceResponse auth is not built yet)', () => {
  it('ISO 18013-5 Annex D.4.1.2 DeviceResponse parses and re-encodes byte-identically', () => {
    const v = vectors['iso-18013-5-annex-d-device-response']!
    const bytes = bytesOf(v, 'deviceResponse')
    const dr = decodeCbor(bytes) as Map<CborValue, CborValue>
    expect(hexEncode(encodeCbor(dr))).toBe(hexEncode(bytes))
    expect(dr.get('version')).toBe('1.0')
    expect(dr.get('status')).toBe(0)
    const docs = dr.get('documents') as Map<CborValue, CborValue>[]
    expect(docs).toHaveLength(1)
    expect(docs[0]!.get('docType')).toBe('org.iso.18013.5.1.mDL')
    const deviceAuth = (docs[0]!.get('deviceSigned') as Map<CborValue, CborValue>).get('deviceAuth') as Map<CborValue, CborValue>
    expect(deviceAuth.has('deviceMac')).toBe(true) // Annex D authenticates the device with a MAC (HMAC 256/256)
    // its IssuerSigned verifies with the document signer key it carries (the Annex D IACA is not in the vectors)
    const issuerSigned = docs[0]!.get('issuerSigned') as Map<CborValue, CborValue>
    const auth = issuerSigned.get('issuerAuth') as CborValue[]
    const x5chain = (auth[1] as Map<CborValue, CborValue>).get(33) as Uint8Array
    const key = new X509Certificate(Buffer.from(x5chain)).publicKey
    const r = verifyIssuerSigned(issuerSigned, {
      issuerKeys: [key],
      clock: { now: () => Date.parse('2020-10-02T00:00:00Z') },
      docType: 'org.iso.18013.5.1.mDL',
    })
    expect(Object.keys(r.claims['org.iso.18013.5.1'] ?? {})).toContain('family_name')
  })

  it('BDR IssuerSigned (non-shortest CBOR heads) verifies against its issuer certificate', () => {
    const v = vectors['bdr-issuer-signed']!
    const key = createPublicKey(new X509Certificate(v.issuerCertificate[0]).publicKey.export({ format: 'pem', type: 'spki' }))
    const r = verifyIssuerSigned(bytesOf(v, 'issuerSigned'), {
      issuerKeys: [key],
      clock: { now: () => Date.parse(`${v.params.now}T00:00:00Z`) },
    })
    expect(r.docType).toBeTypeOf('string')
    expect(Object.keys(r.claims).length).toBeGreaterThan(0)
  })
})
