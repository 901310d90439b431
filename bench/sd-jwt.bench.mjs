// SD-JWT VC issue / present / verify: ours vs the raw node:crypto limit and vs @sd-jwt/sd-jwt-vc@0.19.0.
// Run: npm run build && node bench/sd-jwt.bench.mjs
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { decodeSdJwt, issueSdJwtVc, issueSdJwtVcBatch, presentSdJwt, verifySdJwtVc } from '@bonafide/sd-jwt'
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { compare, fmt, line } from './lib.mjs'

const claims = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  email: 'erika@example.com',
  phone_number: '+49 221 1234567',
  nationality: 'DE',
  locality: 'Köln',
  postal_code: '51147',
  street_address: 'Heidestraße 17',
  age_over_18: true,
}
const sd = Object.keys(claims)
const NOW = Math.floor(Date.now() / 1000)

// --- ours
const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const holderJwk = generatePrivateJwk('ES256')
const holder = signerFromPrivateJwk(holderJwk)
const base = { signer: issuer, iss: 'https://issuer.example', vct: 'urn:eudi:pid:1', claims, disclosable: sd }

// --- raw limit pieces
const { privateKey: rawPriv, publicKey: rawPub } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rawPubJwk = rawPub.export({ format: 'jwk' })
const payload = Buffer.from('x'.repeat(900))

// --- peer (sd-jwt-js 0.19.0, its node crypto package)
const peerKeys = await ES256.generateKeyPair()
const peerHolderKeys = await ES256.generateKeyPair()
const peer = new SDJwtVcInstance({
  signer: await ES256.getSigner(peerKeys.privateKey),
  verifier: await ES256.getVerifier(peerKeys.publicKey),
  signAlg: 'ES256',
  hasher: digest,
  hashAlg: 'sha-256',
  saltGenerator: generateSalt,
  kbSigner: await ES256.getSigner(peerHolderKeys.privateKey),
  kbSignAlg: 'ES256',
  kbVerifier: async (data, sig, p) => (await ES256.getVerifier(p.cnf.jwk))(data, sig),
})
const peerIssue = () =>
  peer.issue(
    { iss: 'https://issuer.example', iat: NOW, vct: 'urn:eudi:pid:1', cnf: { jwk: peerHolderKeys.publicKey }, ...claims },
    { _sd: sd },
  )

console.log(`Bonafide SD-JWT VC benchmark — node ${process.version}, ${process.arch}; 10 disclosable claims + cnf, ES256`)

// Issue
const issueRes = await compare(
  {
    raw: () => {
      for (let i = 0; i < 10; i++) randomBytes(16)
      for (let i = 0; i < 10; i++) createHash('sha256').update(payload.subarray(0, 60)).digest()
      sign('sha256', payload, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
    },
    ours: () => issueSdJwtVc({ ...base, holderKey: holder.publicJwk }),
    peer: peerIssue,
  },
  { iterations: { raw: 400, ours: 400, peer: 60 } },
)
console.log(`\nissue   raw ${fmt(issueRes.raw)}\n        ours ${fmt(issueRes.ours)}\n        peer ${fmt(issueRes.peer)}`)
line('issue: ours vs raw limit (1 sign + 10 SHA-256 + 10 salts)', issueRes.raw.median / issueRes.ours.median, 0.9)
line('issue: ours vs @sd-jwt/sd-jwt-vc (times faster)', issueRes.peer.median / issueRes.ours.median, 4)

// Batch of 50 vs single
const holders50 = Array.from({ length: 50 }, () => signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk)
const batchRes = await compare(
  {
    single: () => issueSdJwtVc({ ...base, holderKey: holders50[0] }),
    batch50: () => issueSdJwtVcBatch({ ...base, entries: holders50.map((holderKey) => ({ holderKey })) }),
  },
  { iterations: { single: 300, batch50: 6 } },
)
const perCred = { median: batchRes.batch50.median / 50 }
console.log(`\nbatch   single ${fmt(batchRes.single)}\n        batch of 50: ${perCred.median.toFixed(1)} µs per credential`)
line('issueBatch(50) per credential vs single issue (≤ 1.1 wanted)', perCred.median / batchRes.single.median)

// Present 3 + KB
const vc = await issueSdJwtVc({ ...base, holderKey: holder.publicJwk })
const peerVc = await peerIssue()
const kbPayload = Buffer.from('x'.repeat(200))
const processed = decodeSdJwt(vc) // what a wallet keeps after processing the SD-JWT at receipt (RFC 9901 §7.2)
const presentRes = await compare(
  {
    raw: () => {
      createHash('sha256').update(vc).digest()
      sign('sha256', kbPayload, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
    },
    ours: () =>
      presentSdJwt(vc, {
        disclose: ['given_name', 'family_name', 'age_over_18'],
        kb: { signer: holder, aud: 'https://verifier.example', nonce: 'n-1', iat: NOW },
      }),
    oursProcessed: () =>
      presentSdJwt(processed, {
        disclose: ['given_name', 'family_name', 'age_over_18'],
        kb: { signer: holder, aud: 'https://verifier.example', nonce: 'n-1', iat: NOW },
      }),
    peer: () =>
      peer.present(
        peerVc,
        { given_name: true, family_name: true, age_over_18: true },
        { kb: { payload: { iat: NOW, aud: 'https://verifier.example', nonce: 'n-1' } } },
      ),
  },
  { iterations: { raw: 400, ours: 400, oursProcessed: 400, peer: 60 } },
)
console.log(`        ours, from the processed credential ${fmt(presentRes.oursProcessed)}`)
console.log(`\npresent raw ${fmt(presentRes.raw)}\n        ours ${fmt(presentRes.ours)}\n        peer ${fmt(presentRes.peer)}`)
line('present 3 + KB: ours vs raw limit (1 sign + 1 hash)', presentRes.raw.median / presentRes.ours.median, 0.6)
line('present 3 + KB: ours (processed credential) vs raw limit', presentRes.raw.median / presentRes.oursProcessed.median, 0.6)
line('present 3 + KB: ours vs @sd-jwt/sd-jwt-vc (times faster)', presentRes.peer.median / presentRes.ours.median, 6)

// Verify: many distinct holders, so the cnf key import is a cache miss as for a real verifier
const N = 600
const presentations = []
for (let i = 0; i < N; i++) {
  const h = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const c = await issueSdJwtVc({ ...base, holderKey: h.publicJwk, clock: { now: () => NOW * 1000 } })
  presentations.push(
    await presentSdJwt(c, {
      disclose: ['given_name', 'family_name', 'age_over_18'],
      kb: { signer: h, aud: 'https://verifier.example', nonce: 'n-1', iat: NOW },
    }),
  )
}
const peerVp = await peer.present(
  peerVc,
  { given_name: true, family_name: true, age_over_18: true },
  { kb: { payload: { iat: NOW, aud: 'https://verifier.example', nonce: 'n-1' } } },
)
const policy = { issuerKeys: { keys: [issuer.publicJwk] }, kb: { required: true, aud: 'https://verifier.example', nonce: 'n-1' } }
const rawSig = sign('sha256', payload, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
const rawKbSig = sign('sha256', kbPayload, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
const verifyRes = await compare(
  {
    raw: () => {
      const k = createPublicKey({ key: rawPubJwk, format: 'jwk' })
      verify('sha256', payload, { key: rawPub, dsaEncoding: 'ieee-p1363' }, rawSig)
      verify('sha256', kbPayload, { key: k, dsaEncoding: 'ieee-p1363' }, rawKbSig)
      for (let i = 0; i < 4; i++) createHash('sha256').update(payload.subarray(0, 60)).digest()
    },
    ours: (i) => verifySdJwtVc(presentations[i % N], policy),
    peer: () => peer.verify(peerVp, { keyBindingNonce: 'n-1' }),
  },
  { iterations: { raw: 300, ours: N / 2, peer: 60 } },
)
console.log(`\nverify  raw ${fmt(verifyRes.raw)}\n        ours ${fmt(verifyRes.ours)}\n        peer ${fmt(verifyRes.peer)}`)
line('verify (issuer sig, 3 disclosures, KB): ours vs raw limit', verifyRes.raw.median / verifyRes.ours.median, 0.9)
line('verify: ours vs @sd-jwt/sd-jwt-vc (times faster)', verifyRes.peer.median / verifyRes.ours.median, 3)
