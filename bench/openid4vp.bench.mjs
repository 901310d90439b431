// Validating a 3-credential OpenID4VP response (2 SD-JWT VCs + 1 mdoc) vs the sum of its underlying signature
// verifications and key imports (raw node:crypto). Run: npm run build && node bench/openid4vp.bench.mjs
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { b64uEncode } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createDocumentSigner, createIacaRoot, issueMdoc, openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { parseDcqlQuery, validateVpToken } from '@bonafide/openid4vp'
import { msoMdocValidator, sdJwtVcValidator } from '@bonafide/openid4vp/formats'
import { issueSdJwtVc, presentSdJwt } from '@bonafide/sd-jwt'
import { compare, fmt, line } from './lib.mjs'

const CLIENT = 'x509_san_dns:verifier.example'
const RESPONSE_URI = 'https://verifier.example/post'
const NONCE = 'bench-nonce'
const NS = 'org.iso.18013.5.1'
const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const iaca = await createIacaRoot({ country: 'DE' })
const ds = await createDocumentSigner(iaca)
const dsSigner = signerFromPrivateJwk(ds.key.export({ format: 'jwk' }))
const dcql = parseDcqlQuery({
  credentials: [
    { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['age_over_18'] }] },
    { id: 'diploma', format: 'dc+sd-jwt', meta: { vct_values: ['urn:diploma'] }, claims: [{ path: ['degree'] }] },
    { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' }, claims: [{ path: [NS, 'age_over_18'] }] },
  ],
})
const st = openid4vpSessionTranscript({ clientId: CLIENT, nonce: NONCE, responseUri: RESPONSE_URI })
async function sd(vct, claims, name) {
  const h = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const vc = await issueSdJwtVc({
    signer: issuer,
    iss: 'https://issuer.example',
    vct,
    claims,
    disclosable: Object.keys(claims),
    holderKey: h.publicJwk,
  })
  return presentSdJwt(vc, { disclose: [name], kb: { signer: h, aud: CLIENT, nonce: NONCE } })
}
const N = 100
const responses = []
for (let i = 0; i < N; i++) {
  const h = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const mdoc = await issueMdoc({
    signer: dsSigner,
    x5chain: [ds.der],
    docType: 'org.iso.18013.5.1.mDL',
    claims: { [NS]: { age_over_18: true, family_name: 'M' } },
    deviceKey: h.publicJwk,
  })
  responses.push({
    pid: [await sd('urn:eudi:pid:1', { age_over_18: true, given_name: 'E' }, 'age_over_18')],
    diploma: [await sd('urn:diploma', { degree: 'MSc', university: 'U' }, 'degree')],
    mdl: [
      b64uEncode(
        await presentMdoc({ issuerSigned: mdoc, disclose: { [NS]: ['age_over_18'] }, deviceSigner: h, sessionTranscript: st }),
      ),
    ],
  })
}
const validators = [
  sdJwtVcValidator({ issuerKeys: { keys: [issuer.publicJwk] } }),
  msoMdocValidator({ trustAnchors: [iaca.pem] }),
]
// The bench reuses one nonce across iterations, so it uses a guard that admits it every time (the real guard is a Set lookup).
const nonceGuard = { consume: async () => true }
const check = await validateVpToken({
  dcql,
  vpToken: responses[0],
  validators,
  clientId: CLIENT,
  nonce: NONCE,
  responseUri: RESPONSE_URI,
  nonceGuard,
})
if (!check.valid) throw new Error(`bench response invalid: ${JSON.stringify(check.error)}`)

// Raw: 6 ES256 verifications (3 issuer, 2 KB, 1 device) and 3 holder/device key imports from JWK.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const jwk = publicKey.export({ format: 'jwk' })
const data = Buffer.alloc(600, 1)
const sig = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
const res = await compare(
  {
    raw: () => {
      for (let i = 0; i < 3; i++) createPublicKey({ key: jwk, format: 'jwk' })
      for (let i = 0; i < 6; i++) verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
    },
    ours: (i) =>
      validateVpToken({
        dcql,
        vpToken: responses[i % N],
        validators,
        clientId: CLIENT,
        nonce: NONCE,
        responseUri: RESPONSE_URI,
        nonceGuard,
      }),
  },
  // Same iteration count on both sides (rounds of equal length face the same machine noise), more interleaved rounds
  // for a steadier median on a shared 2-core machine, and a warm-up long enough for V8 to optimize ours' JS path
  // (50 calls left the first measured rounds in the interpreter) and to see every prepared response once.
  { iterations: N, rounds: 15, warmup: 3 * N },
)
console.log(`Bonafide OpenID4VP response validation — node ${process.version}; 3 credentials (2 dc+sd-jwt, 1 mso_mdoc)`)
console.log(`raw (6 verifies + 3 key imports) ${fmt(res.raw)}\nours (validateVpToken)           ${fmt(res.ours)}`)
line('validate 3-credential response: ours / raw sum (≤ 1.3 wanted)', res.ours.median / res.raw.median)
