// AnonCreds (CL signatures over BigInt, exponentiation by OpenSSL through node:crypto): the time to create a
// credential definition, issue, present (1 credential, 3 revealed, 1 predicate) and verify, each next to the same
// number of bare 2048-bit modular exponentiations done the fastest way Node offers (OpenSSL BN_mod_exp behind a
// Diffie-Hellman object: the limit for this arithmetic). Also where the time goes (exponentiations vs the rest)
// and, for scale, BigInt square-and-multiply. Run: npm install && node bench/anoncreds.bench.mjs
import { createDiffieHellman } from 'node:crypto'
import {
  bn,
  createCredential,
  createCredentialDefinition,
  createCredentialOffer,
  createCredentialRequest,
  createLinkSecret,
  createPresentation,
  createSchema,
  processCredential,
  verifyPresentation,
} from '@bonafide/anoncreds'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const DEF_ROUNDS = Number(process.env.BENCH_DEF_ROUNDS ?? 3)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const spread = (xs) => (Math.max(...xs) - Math.min(...xs)) / median(xs)

/** Run `f` `rounds` times: median ms and the median number of exponentiations it did. */
async function timed(f, rounds) {
  const ms = []
  const pows = []
  for (let i = 0; i < rounds; i++) {
    const c0 = bn.counters.modPow
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
    pows.push(bn.counters.modPow - c0)
  }
  return { ms: median(ms), spread: spread(ms), pows: median(pows) }
}

// the limit: `count` exponentiations mod a 2048-bit odd modulus with 2048-bit exponents, fresh DH object each (as ours)
const n = bn.randomBits(2048) | (1n << 2047n) | 1n
const bases = Array.from({ length: 64 }, () => bn.randomBits(2040))
const exps = Array.from({ length: 64 }, () => bn.randomBits(2048))
const buf = (x) => Buffer.from(bn.toBytes(x))
function bareModExp(count) {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    const dh = createDiffieHellman(buf(n), buf(bases[i % 64]))
    dh.setPrivateKey(buf(exps[i % 64]))
    dh.generateKeys()
  }
  return performance.now() - t0
}
const perModExp = median(Array.from({ length: 5 }, () => bareModExp(200) / 200))
const t0 = performance.now()
for (let i = 0; i < 5; i++) bn.slowPow(bases[i], exps[i], n)
const perSlow = (performance.now() - t0) / 5

// the objects
const issuerId = 'did:web:issuer.example'
const schemaId = `${issuerId}/anoncreds/schema/membership/1.0`
const credDefId = `${issuerId}/anoncreds/cred-def/membership/default`
const schema = createSchema('membership', '1.0', issuerId, ['name', 'level', 'city', 'age'])
let made
const def = await timed(async () => {
  made = await createCredentialDefinition(schemaId, schema, issuerId, 'default')
}, DEF_ROUNDS)
const { credentialDefinition: cd, credentialDefinitionPrivate: priv, keyCorrectnessProof: kcp } = made
const linkSecret = createLinkSecret()
const values = { name: 'Alice', level: 'gold', city: 'Utrecht', age: '28' }
let credential
const issue = await timed(() => {
  const offer = createCredentialOffer(schemaId, credDefId, kcp)
  const { credentialRequest, credentialRequestMetadata } = createCredentialRequest(
    { entropy: 'h' },
    cd,
    linkSecret,
    'default',
    offer,
  )
  const issued = createCredential(cd, priv, offer, credentialRequest, values)
  credential = processCredential(issued, credentialRequestMetadata, linkSecret, cd)
}, ROUNDS)
const request = {
  name: 'proof',
  version: '1.0',
  nonce: '1234567890123456789',
  requested_attributes: { a: { name: 'name' }, b: { name: 'level' }, c: { name: 'city' } },
  requested_predicates: { p: { name: 'age', p_type: '>=', p_value: 18 } },
}
const requested = {
  requested_attributes: {
    a: { cred_id: 0, revealed: true },
    b: { cred_id: 0, revealed: true },
    c: { cred_id: 0, revealed: true },
  },
  requested_predicates: { p: { cred_id: 0 } },
}
const schemas = { [schemaId]: schema }
const credDefs = { [credDefId]: cd }
let presentation
const present = await timed(() => {
  presentation = createPresentation(request, [{ credential }], {}, requested, linkSecret, schemas, credDefs)
}, ROUNDS)
const verify = await timed(() => {
  if (!verifyPresentation(presentation, request, schemas, credDefs).valid) throw new Error('did not verify')
}, ROUNDS)

console.log(
  `AnonCreds (CL, 2048-bit modulus) — node ${process.version}; medians of ${ROUNDS} runs (${DEF_ROUNDS} for key generation)`,
)
console.log(
  `one 2048-bit modular exponentiation: ${perModExp.toFixed(2)} ms by OpenSSL (the limit), ${perSlow.toFixed(1)} ms by BigInt square-and-multiply (${(perSlow / perModExp).toFixed(1)}×)`,
)
for (const [label, r] of [
  ['create credential definition', def],
  ['issue (offer, request, sign, process)', issue],
  ['present (1 credential, 3 revealed, 1 predicate)', present],
  ['verify it', verify],
]) {
  const limit = r.pows * perModExp
  console.log(
    `${label.padEnd(50)} ${r.ms.toFixed(1).padStart(8)} ms (±${((r.spread * 100) / 2).toFixed(0)}%)  ${String(r.pows).padStart(4)} exponentiations = ${limit.toFixed(1).padStart(7)} ms at the limit  → ${(limit / r.ms).toFixed(2)}× of the limit`,
  )
}
console.log(
  'Key generation is dominated by finding two 1025-bit safe primes (node:crypto generatePrime, random time); the rest is exponentiations (at the limit) plus BigInt products, inversions, hashing and JSON.',
)
