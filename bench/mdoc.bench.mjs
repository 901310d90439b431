// mdoc: issuing an mDL with 10 elements vs the raw limit, and verifying a DeviceResponse with 5 disclosed
// elements vs @owf/mdoc@0.6.0 verifying the same bytes (given a node:crypto context of equal quality).
// Run: npm run build && node bench/mdoc.bench.mjs
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, X509Certificate } from 'node:crypto'
import { encodeCbor, Tagged } from '@bonafide/cose'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import {
  createDocumentSigner,
  createIacaRoot,
  issueMdoc,
  openid4vpSessionTranscript,
  presentMdoc,
  verifyDeviceResponse,
} from '@bonafide/mdoc'
import { CoseKey, Verifier } from '@owf/mdoc'
import { compare, fmt, line } from './lib.mjs'

const NS = 'org.iso.18013.5.1'
const DOCTYPE = 'org.iso.18013.5.1.mDL'
const claims = {
  [NS]: {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: '1964-08-12',
    issue_date: '2024-01-01',
    expiry_date: '2034-01-01',
    issuing_country: 'DE',
    issuing_authority: 'KBA',
    document_number: 'T22000129',
    age_over_18: true,
    age_over_21: true,
  },
}
const iaca = await createIacaRoot({ country: 'DE' })
const ds = await createDocumentSigner(iaca)
const issuer = signerFromPrivateJwk(ds.key.export({ format: 'jwk' }))
const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const base = { signer: issuer, x5chain: [ds.der], docType: DOCTYPE, claims, deviceKey: holder.publicJwk }
console.log(`Bonafide mdoc benchmark — node ${process.version}; mDL with 10 elements, ES256`)

// Issue vs raw limit: 1 ES256 sign + 10 SHA-256 + CBOR encoding of the 10 items
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const msoLike = Buffer.alloc(900, 7)
const issueRes = await compare(
  {
    raw: () => {
      for (const [k, v] of Object.entries(claims[NS])) {
        const item = encodeCbor(
          new Map([
            ['digestID', 1],
            ['random', randomBytes(16)],
            ['elementIdentifier', k],
            ['elementValue', v],
          ]),
        )
        createHash('sha256')
          .update(encodeCbor(new Tagged(24, item)))
          .digest()
      }
      sign('sha256', msoLike, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    },
    ours: () => issueMdoc(base),
  },
  { iterations: 300 },
)
console.log(`\nissue   raw ${fmt(issueRes.raw)}\n        ours ${fmt(issueRes.ours)}`)
line('issue mDL (10 elements): ours vs raw limit', issueRes.raw.median / issueRes.ours.median, 0.8)

// Verify a DeviceResponse with 5 disclosed elements
const st = openid4vpSessionTranscript({
  clientId: 'x509_san_dns:verifier.example',
  nonce: 'n-1',
  responseUri: 'https://verifier.example/post',
})
const dr = await presentMdoc({
  issuerSigned: await issueMdoc(base),
  disclose: { [NS]: ['family_name', 'given_name', 'birth_date', 'age_over_18', 'document_number'] },
  deviceSigner: holder,
  sessionTranscript: st,
})
const stBytes = encodeCbor(new Tagged(24, encodeCbor(st)))
const keyOf = (ck) =>
  createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: Buffer.from(ck.x).toString('base64url'), y: Buffer.from(ck.y).toString('base64url') },
    format: 'jwk',
  })
const root = new X509Certificate(Buffer.from(iaca.der))
const ctx = {
  crypto: {
    random: (n) => randomBytes(n),
    digest: ({ digestAlgorithm, bytes }) => createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest(),
    calculateEphemeralMacKey: () => {
      throw new Error('not used')
    },
  },
  cose: {
    sign1: {
      sign: () => {
        throw new Error('not used')
      },
      verify: ({ key, sign1 }) =>
        verify('sha256', sign1.toBeSigned, { key: keyOf(key), dsaEncoding: 'ieee-p1363' }, sign1.signature),
    },
    mac0: { sign: () => new Uint8Array(), verify: () => false },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }) => {
      const m = new RegExp(`${field}=([^\\n]+)`).exec(new X509Certificate(Buffer.from(certificate)).issuer)
      return m ? [m[1]] : []
    },
    getPublicKey: ({ certificate }) =>
      CoseKey.fromJwk(new X509Certificate(Buffer.from(certificate)).publicKey.export({ format: 'jwk' })),
    verifyCertificateChain: ({ x5chain }) => {
      const leaf = new X509Certificate(Buffer.from(x5chain[0]))
      if (!leaf.checkIssued(root) || !leaf.verify(root.publicKey)) throw new Error('untrusted')
    },
    getCertificateData: ({ certificate }) => {
      const c = new X509Certificate(Buffer.from(certificate))
      return {
        issuerName: c.issuer,
        subjectName: c.subject,
        serialNumber: c.serialNumber,
        thumbprint: c.fingerprint256,
        notBefore: new Date(c.validFrom),
        notAfter: new Date(c.validTo),
        pem: c.toString(),
      }
    },
  },
}
let peerError
const peerVerify = async () => {
  try {
    await Verifier.verifyDeviceResponse({ deviceResponse: dr, sessionTranscript: stBytes, trustedCertificates: [iaca.der] }, ctx)
  } catch (e) {
    peerError ??= e
  }
}
await peerVerify()
if (peerError) console.log(`note: @owf/mdoc reported: ${peerError.message}`)
const trust = { trustAnchors: [iaca.pem], sessionTranscript: st }
const verifyRes = await compare(
  { ours: () => verifyDeviceResponse(dr, trust), peer: peerVerify },
  { iterations: { ours: 300, peer: 100 } },
)
console.log(`\nverify  ours ${fmt(verifyRes.ours)}\n        peer ${fmt(verifyRes.peer)}`)
line('verify DeviceResponse (5 elements): ours vs @owf/mdoc (times faster)', verifyRes.peer.median / verifyRes.ours.median, 2)
