import { FakeClock } from '@bonafide/core'
import { type CborValue, decodeCbor, encodeCbor, Tagged } from '@bonafide/cose'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { issueMdoc, issueMdocBatch, verifyIssuerSigned } from '../src/index.js'

const MDL = 'org.iso.18013.5.1.mDL'
const NS = 'org.iso.18013.5.1'
const claims = {
  [NS]: {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: '1964-08-12',
    age_over_18: true,
    document_number: 'T22000129',
  },
}

describe('mdoc IssuerSigned (ISO 18013-5 §9.1.2)', async () => {
  const pki = await createDevChain()
  const signer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  const x5chain = [pki.leaf.der]
  const device = () => signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk
  const opts = { trustAnchors: [pki.root.pem] }

  it('issues and verifies: chain, signature, digests, docType, validity, device key', async () => {
    const dk = device()
    const bytes = await issueMdoc({
      signer,
      x5chain,
      docType: MDL,
      claims,
      deviceKey: dk,
      status: { status_list: { idx: 7, uri: 'https://i/sl/1' } },
    })
    const r = verifyIssuerSigned(bytes, { ...opts, docType: MDL })
    expect(r.claims[NS]).toEqual(claims[NS])
    expect(r.deviceKey).toEqual(dk)
    expect(r.status).toEqual({ status_list: { idx: 7, uri: 'https://i/sl/1' } })
    expect(r.issuerSubject).toContain('Bonafide Test Leaf')
    expect(r.issuerCertificate).toContain('BEGIN CERTIFICATE')
  })
  it.each(['ES384', 'ES512', 'EdDSA'] as const)('issues and verifies with %s document signers', async (alg) => {
    const chain = await createDevChain({ alg })
    const s = signerFromPrivateJwk(chain.leaf.key.export({ format: 'jwk' }))
    const bytes = await issueMdoc({
      signer: s,
      x5chain: [chain.leaf.der],
      docType: MDL,
      claims,
      deviceKey: device(),
      digestAlg: alg === 'ES512' ? 'SHA-512' : 'SHA-256',
    })
    expect(verifyIssuerSigned(bytes, { trustAnchors: [chain.root.pem] }).claims[NS]?.given_name).toBe('Erika')
  })
  it('a batch: own device keys, fresh randoms, rounded validity; duplicate keys refused before signing', async () => {
    const keys = [device(), device(), device()]
    const { issuerSigned, audit } = await issueMdocBatch({
      signer,
      x5chain,
      docType: MDL,
      claims,
      entries: keys.map((deviceKey) => ({ deviceKey })),
    })
    const rs = issuerSigned.map((b) => verifyIssuerSigned(b, opts))
    expect(rs.map((r) => r.deviceKey)).toEqual(keys)
    const randoms = rs.flatMap((r) => r.randoms)
    expect(new Set(randoms).size).toBe(randoms.length)
    for (const r of rs) expect(r.validity.signed).toMatch(/T00:00:00\.000Z$/)
    expect(audit.count).toBe(3)
    await expect(
      issueMdocBatch({ signer, x5chain, docType: MDL, claims, entries: [{ deviceKey: keys[0]! }, { deviceKey: keys[0]! }] }),
    ).rejects.toMatchObject({
      code: 'mdoc.batch_entry_invalid',
    })
  })
  it('rejects a tampered element, a wrong docType, expiry, an untrusted root', async () => {
    const bytes = await issueMdoc({ signer, x5chain, docType: MDL, claims, deviceKey: device(), validForSeconds: 3600 })
    const root = decodeCbor(bytes) as Map<CborValue, CborValue>
    const items = (root.get('nameSpaces') as Map<CborValue, CborValue>).get(NS) as Tagged[]
    const original = items[0]!
    const item = decodeCbor(items[0]!.value as Uint8Array) as Map<CborValue, CborValue>
    item.set('elementValue', 'Mallory')
    items[0] = new Tagged(24, encodeCbor(item))
    expect(() => verifyIssuerSigned(encodeCbor(root), opts)).toThrow(expect.objectContaining({ code: 'mdoc.digest_mismatch' }))
    items[0] = original
    items[1] = items[2]!
    expect(() => verifyIssuerSigned(encodeCbor(root), opts)).toThrow(expect.objectContaining({ code: 'mdoc.digest_duplicate' }))
    expect(() => verifyIssuerSigned(bytes, { ...opts, docType: 'eu.europa.ec.eudi.pid.1' })).toThrow(
      expect.objectContaining({ code: 'mdoc.doctype_mismatch' }),
    )
    expect(() => verifyIssuerSigned(bytes, { ...opts, clock: new FakeClock(Date.now() + 7200_000) })).toThrow(
      expect.objectContaining({ code: 'mdoc.expired' }),
    )
    const other = await createDevChain()
    expect(() => verifyIssuerSigned(bytes, { trustAnchors: [other.root.pem] })).toThrow(
      expect.objectContaining({ code: 'jose.x5c_untrusted' }),
    )
    const wrongKey = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const forged = await issueMdoc({ signer: wrongKey, x5chain, docType: MDL, claims, deviceKey: device() })
    expect(() => verifyIssuerSigned(forged, opts)).toThrow(expect.objectContaining({ code: 'mdoc.issuer_signature_invalid' }))
  })
  it('rejects truncated and trailing CBOR', async () => {
    const bytes = await issueMdoc({ signer, x5chain, docType: MDL, claims, deviceKey: device() })
    expect(() => verifyIssuerSigned(bytes.slice(0, bytes.length - 5), opts)).toThrow(
      expect.objectContaining({ code: 'cose.cbor_truncated' }),
    )
    expect(() => verifyIssuerSigned(new Uint8Array([...bytes, 0]), opts)).toThrow(
      expect.objectContaining({ code: 'cose.cbor_trailing_bytes' }),
    )
  })
})

describe('ISO 18013-5 Annex B development certificates', async () => {
  const { createIacaRoot, createDocumentSigner, MDL_DS_EKU } = await import('../src/index.js')
  const { X509Certificate } = await import('node:crypto')
  it('an IACA root and a document signer with the Annex B extensions issue mdocs that verify to the IACA', async () => {
    const iaca = await createIacaRoot({ country: 'NL' })
    const ds = await createDocumentSigner(iaca)
    const node = new X509Certificate(Buffer.from(ds.der))
    expect(node.keyUsage).toContain(MDL_DS_EKU)
    expect(new X509Certificate(Buffer.from(iaca.der)).ca).toBe(true)
    const signer = signerFromPrivateJwk(ds.key.export({ format: 'jwk' }))
    const bytes = await issueMdoc({
      signer,
      x5chain: [ds.der],
      docType: MDL,
      claims,
      deviceKey: signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk,
    })
    expect(verifyIssuerSigned(bytes, { trustAnchors: [iaca.pem] }).issuerSubject).toContain('Document Signer')
  })
})

describe('mdoc structural negatives', async () => {
  const pki = await createDevChain()
  const signer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  const opts = { trustAnchors: [pki.root.pem] }
  it('an item whose digest ID the MSO does not list is rejected', async () => {
    const bytes = await issueMdoc({
      signer,
      x5chain: [pki.leaf.der],
      docType: MDL,
      claims,
      deviceKey: signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk,
    })
    const root = decodeCbor(bytes) as Map<CborValue, CborValue>
    const items = (root.get('nameSpaces') as Map<CborValue, CborValue>).get(NS) as Tagged[]
    const item = decodeCbor(items[0]!.value as Uint8Array) as Map<CborValue, CborValue>
    item.set('digestID', 4242)
    items[0] = new Tagged(24, encodeCbor(item))
    expect(() => verifyIssuerSigned(encodeCbor(root), opts)).toThrow(expect.objectContaining({ code: 'mdoc.digest_missing' }))
  })
  it('oversized and too deeply nested CBOR get clean errors', () => {
    expect(() => verifyIssuerSigned(new Uint8Array(2 << 20), opts)).toThrow(
      expect.objectContaining({ code: 'cose.cbor_too_large' }),
    )
    const deep = new Uint8Array(500).fill(0x81)
    expect(() => verifyIssuerSigned(deep, opts)).toThrow(expect.objectContaining({ code: 'cose.cbor_too_deep' }))
    expect(() => verifyIssuerSigned(encodeCbor([1, 2]), opts)).toThrow(
      expect.objectContaining({ code: 'mdoc.structure_invalid' }),
    )
  })
})
