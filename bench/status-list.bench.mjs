// Token Status List: build + compress, decode + lookups, memory. Ours vs raw zlib / raw bit arithmetic
// and vs @sd-jwt/jwt-status-list@0.19.0. Run: npm run build && node --expose-gc bench/status-list.bench.mjs
import { randomInt } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createStatusListJwt, StatusList, verifyStatusListJwt } from '@bonafide/status-list'
import { StatusList as PeerStatusList } from '@sd-jwt/jwt-status-list'
import { fmt, line, measureSync } from './lib.mjs'

const N = 1_000_000
const BITS = 2
const revoked = Array.from({ length: N / 100 }, () => [randomInt(N), 1 + randomInt(3)])
const rss0 = process.memoryUsage().rss

console.log(`Bonafide status list benchmark — node ${process.version}; ${N.toLocaleString()} entries, ${BITS} bits, 1% set`)

// Build and compress
const packed = StatusList.create(N, BITS)
for (const [i, v] of revoked) packed.set(i, v)
const opts = { iterations: 3, rounds: 5, warmup: 1 }
const rawZ = measureSync(() => deflateSync(packed.bytes, { level: 9 }), opts)
const ours = measureSync(() => {
  const l = StatusList.create(N, BITS)
  for (const [i, v] of revoked) l.set(i, v)
  return l.compress()
}, opts)
const peerArr = new Array(N).fill(0)
const peer = measureSync(
  () => {
    const arr = peerArr.slice()
    const l = new PeerStatusList(arr, BITS)
    for (const [i, v] of revoked) l.setStatus(i, v)
    return l.compressStatusList()
  },
  { iterations: 1, rounds: 3, warmup: 1 },
)
console.log(
  `\nbuild+compress  raw zlib level 9 on packed bytes ${fmt(rawZ)}\n                ours ${fmt(ours)}\n                peer ${fmt(peer)}`,
)
line('build+compress: ours / raw zlib (≤ 1.2 wanted)', ours.median / rawZ.median)
line('build+compress: ours vs @sd-jwt/jwt-status-list (times faster)', peer.median / ours.median, 3)
const oursSize = packed.compress().byteLength
const zSize = deflateSync(packed.bytes, { level: 9 }).byteLength
console.log(`compressed size: ours ${oursSize} B, zlib level 9 ${zSize} B (${oursSize <= zSize ? 'not larger' : 'LARGER'})`)

// Decode a fetched token (signature verified), then 1,000,000 random lookups
const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const token = await createStatusListJwt({ list: packed, uri: 'https://i/sl/1', signer, ttl: 300 })
const decodeRes = measureSync(
  () => verifyStatusListJwt(token, { expectedUri: 'https://i/sl/1', trust: { keys: [signer.publicJwk] } }),
  { iterations: 5, rounds: 5, warmup: 2 },
)
console.log(`\ndecode+verify token (${token.length} chars) ${fmt(decodeRes)}`)
const list = verifyStatusListJwt(token, { expectedUri: 'https://i/sl/1', trust: { keys: [signer.publicJwk] } }).list
const idx = new Uint32Array(N)
for (let i = 0; i < N; i++) idx[i] = randomInt(N)
const bytes = list.bytes
let sink = 0
// Interleave rounds so that JIT warm-up and machine noise hit both loops alike.
const rawTimes = []
const ourTimes = []
for (let r = 0; r < 9; r++) {
  let t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const j = idx[i]
    sink += (bytes[j >> 2] >> ((j & 3) << 1)) & 3
  }
  rawTimes.push(Number(process.hrtime.bigint() - t) / 1000)
  t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) sink += list.get(idx[i])
  ourTimes.push(Number(process.hrtime.bigint() - t) / 1000)
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]
const rawLookup = { median: med(rawTimes.slice(2)) }
const oursLookup = {
  median: med(ourTimes.slice(2)),
  spread: (Math.max(...ourTimes.slice(2)) - Math.min(...ourTimes.slice(2))) / med(ourTimes.slice(2)),
}
console.log(
  `1,000,000 lookups: raw bit arithmetic ${(rawLookup.median / 1000).toFixed(2)} ms, ours ${(oursLookup.median / 1000).toFixed(2)} ms (±${((oursLookup.spread * 100) / 2).toFixed(0)}%)`,
)
line('lookup: ours / raw per lookup (≤ 2 wanted)', oursLookup.median / rawLookup.median)

globalThis.gc?.()
const ab0 = process.memoryUsage().arrayBuffers
const held = verifyStatusListJwt(token, { expectedUri: 'https://i/sl/1', trust: { keys: [signer.publicJwk] } })
globalThis.gc?.()
const heldBytes = process.memoryUsage().arrayBuffers - ab0
console.log(
  `\nexternal memory held by one decoded ${N.toLocaleString()}-entry list: ${(heldBytes / 1024).toFixed(0)} KiB (unpacked list ${(held.list.bytes.byteLength / 1024).toFixed(0)} KiB; ≤ 1 unpacked copy: ${heldBytes < 2 * held.list.bytes.byteLength ? 'yes' : 'NO'})`,
)
const mem = process.memoryUsage()
console.log(
  `\nmemory: process RSS (includes the peer library's arrays) ${(mem.rss / 2 ** 20).toFixed(1)} MiB (start ${(rss0 / 2 ** 20).toFixed(1)} MiB); one unpacked list = ${(bytes.byteLength / 1024).toFixed(0)} KiB.`,
)
console.log('A decoded list is the inflated buffer itself (StatusList wraps it without copying): one unpacked copy per list.')
if (sink === -1) console.log(sink)
