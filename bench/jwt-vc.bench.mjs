// JWT-VC issue / verify: ours vs the raw limit (one node:crypto ES256 sign or verify, JSON.stringify/parse
// and base64url of the same header and payload). Target: ≤ 1.2× the raw limit.
// Run: npx tsc -b packages/jwt-vc && node bench/jwt-vc.bench.mjs
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { createDidJwk } from '@bonafide/did'
import { issueJwtVc, verifyJwtVc } from '@bonafide/jwt-vc'
import { exportPrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { compare, fmt } from './lib.mjs'

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const publicKey = createPublicKey(privateKey)
const signer = signerFromPrivateJwk(exportPrivateJwk(privateKey, 'ES256'))
const holder = signerFromPrivateJwk(exportPrivateJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256'))
const did = createDidJwk(signer.publicJwk)
const credential = {
  type: ['VerifiableCredential', 'IDCredential'],
  credentialSubject: {
    given_name: 'Max',
    family_name: 'Mustermann',
    birthdate: '1998-01-11',
    address: { street_address: 'Sandanger 25', locality: 'Musterstadt', postal_code: '123456', country: 'DE' },
  },
}
const clock = { now: () => Date.now() }

// ours / raw, target ≤ 1.2. The fastest round is the noise-robust figure on a shared machine; the median is shown too.
function ratios(label, raw, ours) {
  const best = ours.min / raw.min
  const mid = ours.median / raw.median
  const ok = best <= 1.2 ? '[meets target ≤ 1.2×]' : '[ABOVE target 1.2×]'
  console.log(`${label.padEnd(50)} ours/raw ${best.toFixed(2)}× (fastest rounds), ${mid.toFixed(2)}× (medians)  ${ok}`)
}

console.log(`Bonafide JWT-VC benchmark — node ${process.version}, ${process.arch}; VCDM 1.1 and 2.0, ES256, cnf.jwk`)

for (const version of ['1.1', '2.0']) {
  const opts = {
    signer,
    issuer: 'https://issuer.example',
    credential,
    holderKey: holder.publicJwk,
    version,
    validForSeconds: 86400,
    clock,
  }
  const sample = await issueJwtVc(opts)
  const [h64, p64] = sample.split('.')
  const header = JSON.parse(Buffer.from(h64, 'base64url').toString())
  const payload = JSON.parse(Buffer.from(p64, 'base64url').toString())

  const rawIssue = () => {
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
    const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
    return `${input}.${sig.toString('base64url')}`
  }
  const rawVerify = () => {
    const [a, b, c] = sample.split('.')
    JSON.parse(Buffer.from(a, 'base64url').toString())
    JSON.parse(Buffer.from(b, 'base64url').toString())
    return verify('sha256', Buffer.from(`${a}.${b}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(c, 'base64url'))
  }
  const issued = await compare({ raw: rawIssue, ours: () => issueJwtVc(opts) }, { iterations: 500, rounds: 21 })
  console.log(`\nVCDM ${version} issue   raw ${fmt(issued.raw)}\n                 ours ${fmt(issued.ours)}`)
  ratios(`VCDM ${version} issue`, issued.raw, issued.ours)

  const keysPolicy = { issuerKeys: { keys: [signer.publicJwk] }, clock }
  const didJwt = await issueJwtVc({ ...opts, issuer: did })
  const didPolicy = { issuerKeys: { did: true }, clock }
  const verified = await compare(
    {
      raw: rawVerify,
      ours: () => verifyJwtVc(sample, keysPolicy),
      oursDid: () => verifyJwtVc(didJwt, didPolicy),
    },
    { iterations: 500, rounds: 21 },
  )
  console.log(
    `VCDM ${version} verify  raw ${fmt(verified.raw)}\n                 ours ${fmt(verified.ours)}\n     (did:jwk issuer) ${fmt(verified.oursDid)}`,
  )
  ratios(`VCDM ${version} verify (static key)`, verified.raw, verified.ours)
  ratios(`VCDM ${version} verify (did:jwk, assertionMethod)`, verified.raw, verified.oursDid)
}
