// AnonCreds (CL signatures over BigInt, exponentiation by OpenSSL through node:crypto): the time to create a
// credential definition, issue, present (1 credential, 3 revealed, 1 predicate) and verify, each next to the same
// number of bare 2048-bit modular exponentiations done the fastest way Node offers (OpenSSL BN_mod_exp behind a
// Diffie-Hellman object: the limit for this arithmetic). Also where the time goes (exponentiations vs the rest)
// and, for scale, BigInt square-and-multiply. Then the same with revocation (a CL_ACCUM registry of 100: issue a
// revocable credential, present with a non-revocation proof, verify), whose extra cost is pairing-group arithmetic
// over BigInt (BN254, not counted as exponentiations), with the time of one pairing and how many a verification does.
// Run: npm install && node bench/anoncreds.bench.mjs
import { createDiffieHellman } from 'node:crypto'
import {
  bn,
  createCredential,
  createCredentialDefinition,
  createCredentialOffer,
  createCredentialRequest,
  createLinkSecret,
  createOrUpdateRevocationState,
  createPresentation,
  createRevocationRegistryDefinition,
  createRevocationStatusList,
  createSchema,
  Pair,
  PointG1,
  PointG2,
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

// the limit: `count` exponentiations mod a 2048-bit odd modulus with 2048-bit exponents
const n = bn.randomBits(2048) | (1n << 2047n) | 1n
const bases = Array.from({ length: 64 }, () => bn.randomBits(2040))
const exps = Array.from({ length: 64 }, () => bn.randomBits(2048))
const buf = (x) => Buffer.from(bn.toBytes(x))
// the fastest way: one DH object for the modulus (made once: its constructor tests the modulus for primality),
// then computeSecret(base) with the exponent as private key — what bn.modPow does
const limitDh = createDiffieHellman(buf(n), Buffer.from([2]))
function bareModExp(count) {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    limitDh.setPrivateKey(buf(exps[i % 64]))
    limitDh.computeSecret(buf(bases[i % 64]))
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
function row(label, r) {
  const limit = r.pows * perModExp
  console.log(
    `${label.padEnd(50)} ${r.ms.toFixed(1).padStart(8)} ms (±${((r.spread * 100) / 2).toFixed(0)}%)  ${String(r.pows).padStart(4)} exponentiations = ${limit.toFixed(1).padStart(7)} ms at the limit  → ${(limit / r.ms).toFixed(2)}× of the limit`,
  )
}
for (const [label, r] of [
  ['create credential definition', def],
  ['issue (offer, request, sign, process)', issue],
  ['present (1 credential, 3 revealed, 1 predicate)', present],
  ['verify it', verify],
]) {
  row(label, r)
}
console.log(
  'Key generation is dominated by finding two 1025-bit safe primes (node:crypto generatePrime, random time); the rest is exponentiations (at the limit) plus BigInt products, inversions, hashing and JSON.',
)

// with revocation: a revocable credential definition (untimed), a registry of MAX_CRED, issuance by default
const MAX_CRED = Number(process.env.BENCH_MAX_CRED ?? 100)
const T0 = 1_700_000_000
const revCredDefId = `${issuerId}/anoncreds/cred-def/membership/revocable`
const revRegId = `${issuerId}/anoncreds/rev-reg/membership/1`
const revMade = await createCredentialDefinition(schemaId, schema, issuerId, 'revocable', { supportRevocation: true })
const { credentialDefinition: rcd, credentialDefinitionPrivate: rpriv, keyCorrectnessProof: rkcp } = revMade
let reg
const regTimed = await timed(async () => {
  reg = await createRevocationRegistryDefinition(rcd, revCredDefId, issuerId, 'default', 'CL_ACCUM', MAX_CRED, ({ hash }) => {
    return `https://tails.example/${hash}`
  })
}, DEF_ROUNDS)
const { revocationRegistryDefinition: revRegDef, revocationRegistryDefinitionPrivate: revRegPriv, tailsFile } = reg
const list0 = createRevocationStatusList(rcd, revRegId, revRegDef, revRegPriv, T0, true)
let revCredential
let nextIndex = 1
const revIssue = await timed(() => {
  const offer = createCredentialOffer(schemaId, revCredDefId, rkcp)
  const { credentialRequest, credentialRequestMetadata } = createCredentialRequest(
    { entropy: 'h' },
    rcd,
    linkSecret,
    'default',
    offer,
  )
  const revocation = {
    revRegDefId: revRegId,
    revRegDef,
    revRegDefPrivate: revRegPriv,
    statusList: list0,
    registryIndex: nextIndex++,
  }
  const issued = createCredential(rcd, rpriv, offer, credentialRequest, values, { revocation })
  revCredential = processCredential(issued, credentialRequestMetadata, linkSecret, rcd, revRegDef)
}, ROUNDS)
const revIndex = revCredential.signature.r_credential.i
let revState
const stateTimed = await timed(() => {
  revState = createOrUpdateRevocationState(revRegDef, list0, revIndex, tailsFile.bytes)
}, ROUNDS)
const revRequest = { ...request, non_revoked: { from: T0, to: T0 + 60 } }
const revCredDefs = { [revCredDefId]: rcd }
const revRegDefs = { [revRegId]: revRegDef }
let revPresentation
const revPresent = await timed(() => {
  revPresentation = createPresentation(
    revRequest,
    [{ credential: revCredential, timestamp: T0, revState }],
    {},
    requested,
    linkSecret,
    schemas,
    revCredDefs,
  )
}, ROUNDS)
// count the pairings (Pair.pair and Pair.pair2 go through Pair.multi: one Miller loop and one final exponentiation each)
const pairings = { products: 0, pairs: 0 }
const multi = Pair.multi
Pair.multi = (pairs) => {
  pairings.products++
  pairings.pairs += pairs.length
  return multi.call(Pair, pairs)
}
const revVerify = await timed(() => {
  if (!verifyPresentation(revPresentation, revRequest, schemas, revCredDefs, revRegDefs, [list0]).valid) {
    throw new Error('did not verify')
  }
}, ROUNDS)
Pair.multi = multi
const perVerify = { products: pairings.products / ROUNDS, pairs: pairings.pairs / ROUNDS }
const g1 = PointG1.random()
const g2 = PointG2.random()
const pairMs = median(
  Array.from({ length: 5 }, () => {
    const t = performance.now()
    for (let i = 0; i < 4; i++) Pair.pair(g1, g2)
    return (performance.now() - t) / 4
  }),
)
const pair2Ms = median(
  Array.from({ length: 5 }, () => {
    const t = performance.now()
    for (let i = 0; i < 4; i++) Pair.pair2(g1, g2, g1, g2)
    return (performance.now() - t) / 4
  }),
)
console.log(`with revocation (CL_ACCUM, maxCredNum ${MAX_CRED}; the pairing-group work is not an exponentiation):`)
for (const [label, r] of [
  [`create revocation registry (maxCredNum ${MAX_CRED})`, regTimed],
  ['issue a revocable credential (+ process)', revIssue],
  [`revocation state (new, ${MAX_CRED} tails)`, stateTimed],
  ['present it with a non-revocation proof', revPresent],
  ['verify it (with non-revocation)', revVerify],
]) {
  row(label, r)
}
console.log(
  `one pairing e(P, Q) on BN254 over BigInt: ${pairMs.toFixed(1)} ms; a product of 2 (one Miller loop, one final exponentiation): ${pair2Ms.toFixed(1)} ms; verifying a non-revocation proof computes ${perVerify.products} such products (${perVerify.pairs} pairings) ≈ ${(perVerify.products * pair2Ms).toFixed(0)} ms`,
)
