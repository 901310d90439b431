// OpenID4VCI credential endpoint: a batch of 50 SD-JWT VCs (50 proof JWTs verified, 50 credentials issued,
// memory store) through the handler in-process, per credential, vs the raw node:crypto limit and vs a peer
// stack (npm `jose` for proofs + @sd-jwt/sd-jwt-vc@0.19.0 for credentials).
// Run: npx tsc -b packages/openid4vci && node bench/openid4vci.bench.mjs
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import { signCompactJws } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { createIssuer, MemoryIssuerStore, PROOF_TYP } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { EmbeddedJWK, jwtVerify } from 'jose'
import { compare, fmt, line } from './lib.mjs'

const N = 50
const ISS = 'https://issuer.example'
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

// --- ours: the issuer handlers
const store = new MemoryIssuerStore()
let nextIdx = 0
const issuerSigner = createLocalSigner(generateKeyObject('ES256'), { store: 'bench', id: 'issuer' }, 'ES256')
const issuer = createIssuer({
  issuer: ISS,
  store,
  formats: [sdJwtVcFormat({ signer: issuerSigner })],
  configurations: { pid: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1' } },
  batchSize: N,
  claims: () => claims,
  statusAllocator: { allocate: async (n) => Array.from({ length: n }, () => ({ uri: `${ISS}/status/1`, idx: nextIdx++ })) },
})
const offer = await issuer.createOffer({ configurationIds: ['pid'] })
const tokenRes = await issuer.handle(
  new Request(`${ISS}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': offer.preAuthorizedCode,
    }),
  }),
)
const accessToken = (await tokenRes.json()).access_token

const ROUNDS = 9
const ITER = 4
const WARM = 2
const batches = ROUNDS * ITER + WARM + 2
console.log(
  `Bonafide OpenID4VCI benchmark — node ${process.version}, ${process.arch}; batch of ${N} dc+sd-jwt (10 disclosable claims), ES256`,
)
console.log(`preparing ${batches} batches of ${N} fresh holder keys and proofs …`)
const iat = Math.floor(Date.now() / 1000)
const bodies = []
const peerInputs = []
for (let b = 0; b < batches; b++) {
  const nonceRes = await issuer.handle(new Request(`${ISS}/nonce`, { method: 'POST' }))
  const nonce = (await nonceRes.json()).c_nonce
  const proofs = []
  for (let i = 0; i < N; i++) {
    const s = createLocalSigner(generateKeyObject('ES256'), { store: 'h', id: `${b}.${i}` }, 'ES256')
    proofs.push(await signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk } }, { aud: ISS, iat, nonce }, s))
  }
  bodies.push(JSON.stringify({ credential_configuration_id: 'pid', proofs: { jwt: proofs } }))
  peerInputs.push(proofs)
}

// --- peer: jose verifies proofs, sd-jwt-js issues
const peerKeys = await ES256.generateKeyPair()
const peer = new SDJwtVcInstance({
  signer: await ES256.getSigner(peerKeys.privateKey),
  signAlg: 'ES256',
  hasher: digest,
  hashAlg: 'sha-256',
  saltGenerator: generateSalt,
})
const sd = Object.keys(claims)
async function peerBatch(proofs) {
  const out = []
  for (const p of proofs) {
    const { payload, protectedHeader } = await jwtVerify(p, EmbeddedJWK, { typ: PROOF_TYP, audience: ISS, maxTokenAge: 300 })
    if (payload.nonce === undefined) throw new Error('nonce')
    out.push(
      await peer.issue({ iss: ISS, iat, vct: 'urn:eudi:pid:1', cnf: { jwk: protectedHeader.jwk }, ...claims }, { _sd: sd }),
    )
  }
  return out
}

// --- raw limit per credential: 1 key import + 1 ES256 verify + 1 sign + 10 SHA-256 + 10 salts
const { privateKey: rawPriv, publicKey: rawPub } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rawJwk = rawPub.export({ format: 'jwk' })
const proofData = Buffer.from('x'.repeat(400))
const credData = Buffer.from('x'.repeat(900))
const proofSig = sign('sha256', proofData, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
function rawOne() {
  const k = createPublicKey({ key: rawJwk, format: 'jwk' })
  if (!verify('sha256', proofData, { key: k, dsaEncoding: 'ieee-p1363' }, proofSig)) throw new Error('verify')
  for (let i = 0; i < 10; i++) randomBytes(16)
  for (let i = 0; i < 10; i++) createHash('sha256').update(credData.subarray(0, 60)).digest()
  sign('sha256', credData, { key: rawPriv, dsaEncoding: 'ieee-p1363' })
}

let oursNext = 0
let peerNext = 0
const res = await compare(
  {
    raw: () => {
      for (let i = 0; i < N; i++) rawOne()
    },
    ours: async () => {
      const r = await issuer.handle(
        new Request(`${ISS}/credential`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: bodies[oursNext++],
        }),
      )
      if (r.status !== 200) throw new Error(`credential endpoint: ${r.status} ${await r.text()}`)
      const j = await r.json()
      if (j.credentials.length !== N) throw new Error('count')
    },
    peer: async () => {
      const out = await peerBatch(peerInputs[peerNext++ % batches])
      if (out.length !== N) throw new Error('count')
    },
  },
  { rounds: ROUNDS, warmup: WARM, iterations: { raw: ITER, ours: ITER, peer: ITER } },
)
const per = (s) => ({ ...s, median: s.median / N, min: s.min / N, max: s.max / N })
console.log(`\nper credential (batch of ${N}):`)
console.log(`  raw limit ${fmt(per(res.raw))}`)
console.log(`  ours      ${fmt(per(res.ours))}`)
console.log(`  peer      ${fmt(per(res.peer))}`)
console.log(`  ours: one batch of ${N} = ${(res.ours.median / 1000).toFixed(1)} ms\n`)
line('credential endpoint: ours vs raw limit', res.raw.median / res.ours.median, 0.8)
line('credential endpoint: ours vs jose + @sd-jwt/sd-jwt-vc (times faster)', res.peer.median / res.ours.median, 1.7)
