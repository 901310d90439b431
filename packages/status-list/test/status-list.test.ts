import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { deflateSync } from 'node:zlib'
import { b64uEncode, createSafeFetcher, FakeClock, isVcError } from '@bonafide/core'
import { signCompactJws } from '@bonafide/jose'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain } from '@bonafide/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BitstringStatusList,
  createBitstringStatusListCredential,
  createStatusListChecker,
  createStatusListCwt,
  createStatusListHandler,
  createStatusListJwt,
  IndexPermutation,
  MemoryAllocatorStore,
  parseStatusReference,
  StatusIndexAllocator,
  StatusList,
  StatusListRegistry,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '../src/index.js'

const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const other = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const clock = new FakeClock(Date.UTC(2026, 10, 22, 12))
const trust = { keys: [signer.publicJwk] }
const URI = 'https://issuer.example/sl/1'

describe('StatusList (§4.1)', () => {
  it('property: set/get round trip through compression for every bit width', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8) as fc.Arbitrary<1 | 2 | 4 | 8>,
        fc.array(fc.tuple(fc.nat(9999), fc.nat(255)), { maxLength: 50 }),
        (bits, sets) => {
          const l = StatusList.create(10_000, bits)
          const want = new Map<number, number>()
          for (const [i, v] of sets) {
            l.set(i, v & ((1 << bits) - 1))
            want.set(i, v & ((1 << bits) - 1))
          }
          const back = StatusList.decompress(l.compress(), bits)
          for (const [i, v] of want) expect(back.get(i)).toBe(v)
        },
      ),
      { numRuns: 40 },
    )
  })
  it('rejects bad bits, out-of-range index and value', () => {
    expect(() => StatusList.create(8, 3 as never)).toThrow(expect.objectContaining({ code: 'status_list.bits_invalid' }))
    const l = StatusList.create(8, 1)
    expect(() => l.get(8)).toThrow(expect.objectContaining({ code: 'status_list.index_out_of_range' }))
    expect(() => l.set(0, 2)).toThrow(expect.objectContaining({ code: 'status_list.value_out_of_range' }))
  })
  it('§11.1 a decompression bomb gets a clean error', () => {
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 })
    expect(bomb.byteLength).toBeLessThan(100_000)
    expect(() => StatusList.decompress(bomb, 1)).toThrow(expect.objectContaining({ code: 'status_list.inflated_too_large' }))
    expect(() => StatusList.decompress(new Uint8Array(100), 1, { maxCompressedBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'status_list.compressed_too_large' }),
    )
    expect(() => StatusList.decompress(new Uint8Array([1, 2, 3]), 1)).toThrow(
      expect.objectContaining({ code: 'status_list.encoding_invalid' }),
    )
  })
})

describe('Status List Tokens (§5)', () => {
  const list = StatusList.create(1024, 2)
  list.set(7, 1)
  it('JWT: typ, sub, iat, exp, ttl; verified with trusted keys', async () => {
    const jwt = await createStatusListJwt({ list, uri: URI, signer, validForSeconds: 3600, ttl: 600, clock })
    const v = verifyStatusListJwt(jwt, { expectedUri: URI, trust, clock })
    expect([v.list.get(7), v.ttl, v.exp! - v.iat]).toEqual([1, 600, 3600])
    expect(() => verifyStatusListJwt(jwt, { expectedUri: 'https://other/x', trust, clock })).toThrow(
      expect.objectContaining({ code: 'status_list.sub_mismatch' }),
    )
    expect(() => verifyStatusListJwt(jwt, { trust: { keys: [other.publicJwk] }, clock })).toThrow(
      expect.objectContaining({ code: 'status_list.signature_invalid' }),
    )
    expect(() => verifyStatusListJwt(jwt, { trust, clock: new FakeClock(clock.now() + 7200_000) })).toThrow(
      expect.objectContaining({ code: 'status_list.expired' }),
    )
    const wrongTyp = await signCompactJws(
      { typ: 'JWT' },
      { sub: URI, iat: 1, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } },
      signer,
    )
    expect(() => verifyStatusListJwt(wrongTyp, { trust, clock })).toThrow(
      expect.objectContaining({ code: 'status_list.typ_invalid' }),
    )
  })
  it('CWT: COSE_Sign1_Tagged with typ application/statuslist+cwt', async () => {
    const cwt = await createStatusListCwt({
      list,
      uri: URI,
      signer,
      validForSeconds: 3600,
      ttl: 600,
      clock,
      header: { kid: 'k1' },
    })
    const v = verifyStatusListCwt(cwt, { expectedUri: URI, trust, clock })
    expect([v.format, v.list.get(7), v.ttl]).toEqual(['cwt', 1, 600])
    expect(() => verifyStatusListCwt(cwt, { trust: { keys: [other.publicJwk] }, clock })).toThrow(
      expect.objectContaining({ code: 'status_list.signature_invalid' }),
    )
    const tampered = cwt.slice()
    tampered[tampered.length - 70] = (tampered[tampered.length - 70] ?? 0) ^ 1
    expect(() => verifyStatusListCwt(tampered, { trust, clock })).toThrow()
  })
  it('x5c: a token signed under a trusted root verifies; an untrusted root does not', async () => {
    const chain = await createDevChain()
    const leafSigner = signerFromPrivateJwk(chain.leaf.key.export({ format: 'jwk' }))
    const jwt = await createStatusListJwt({ list, uri: URI, signer: leafSigner, header: { x5c: chain.x5c } })
    expect(verifyStatusListJwt(jwt, { trust: { trustAnchors: [chain.root.pem] } }).list.get(7)).toBe(1)
    const cwt = await createStatusListCwt({ list, uri: URI, signer: leafSigner, header: { x5c: chain.x5c } })
    expect(verifyStatusListCwt(cwt, { trust: { trustAnchors: [chain.root.pem] } }).list.get(7)).toBe(1)
    const otherRoot = await createDevChain()
    expect(() => verifyStatusListJwt(jwt, { trust: { trustAnchors: [otherRoot.root.pem] } })).toThrow(
      expect.objectContaining({ code: 'jose.x5c_untrusted' }),
    )
  })
})

describe('references (§6)', () => {
  it('parses status_list and W3C entries strictly', () => {
    expect(parseStatusReference({ status_list: { idx: 3, uri: URI } })).toMatchObject({ kind: 'token-status-list', idx: 3 })
    expect(
      parseStatusReference({
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '94567',
        statusListCredential: URI,
      }),
    ).toMatchObject({ index: 94567 })
    expect(
      parseStatusReference({
        type: 'StatusList2021Entry',
        statusPurpose: 'revocation',
        statusListIndex: '1',
        statusListCredential: URI,
      }),
    ).toMatchObject({ legacy2021: true })
    for (const bad of [
      { status_list: { idx: -1, uri: URI } },
      { status_list: { idx: 1, uri: 'not a uri' } },
      { status_list: { idx: '01', uri: URI } },
      { foo: 1 },
      [],
      'x',
    ]) {
      expect(() => parseStatusReference(bad)).toThrow(expect.objectContaining({ code: 'status_list.reference_invalid' }))
    }
  })
})

describe('allocator', () => {
  it('IndexPermutation is a permutation (no index twice) and not sequential', () => {
    const p = new IndexPermutation(5000, new Uint8Array(32).fill(7))
    const seen = new Set<number>()
    for (let i = 0; i < 5000; i++) seen.add(p.apply(i))
    expect(seen.size).toBe(5000)
    expect([...seen].every((x) => x >= 0 && x < 5000)).toBe(true)
    const first = [0, 1, 2, 3, 4].map((i) => p.apply(i))
    expect(first).not.toEqual([0, 1, 2, 3, 4])
  })
  it('allocates 10,000 unique unpredictable indices in one call, rotating lists when full', async () => {
    const a = new StatusIndexAllocator({
      store: new MemoryAllocatorStore(),
      listSize: 6000,
      uriFor: (id) => `https://issuer.example/sl/${id}`,
    })
    const t0 = performance.now()
    const got = await a.allocate(10_000)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(new Set(got.map((g) => `${g.uri}#${g.idx}`)).size).toBe(10_000)
    expect(new Set(got.map((g) => g.uri)).size).toBe(2)
    const seqRuns = got.slice(1).filter((g, i) => g.uri === got[i]!.uri && g.idx === got[i]!.idx + 1).length
    expect(seqRuns).toBeLessThan(20)
  })
  it('concurrent allocations never overlap', async () => {
    const a = new StatusIndexAllocator({
      store: new MemoryAllocatorStore(),
      listSize: 4096,
      uriFor: (id) => `https://i/sl/${id}`,
    })
    const all = (await Promise.all(Array.from({ length: 20 }, () => a.allocate(100)))).flat()
    expect(new Set(all.map((g) => `${g.uri}#${g.idx}`)).size).toBe(2000)
  })
})

describe('registry, HTTP handler and checker over real HTTP', () => {
  let base = ''
  let hits = 0
  let failNext = false
  const registry = new StatusListRegistry({
    signer,
    baseUri: 'http://placeholder/sl',
    listSize: 8192,
    ttlSeconds: 120,
    header: { kid: 'k1' },
  })
  let handler: (r: Request) => Promise<Response>
  const server = createServer(async (req, res) => {
    hits++
    if (failNext) {
      failNext = false
      res.writeHead(503)
      res.end()
      return
    }
    const r = await handler(new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string> }))
    res.writeHead(r.status, Object.fromEntries(r.headers))
    res.end(Buffer.from(await r.arrayBuffer()))
  })
  let reg: StatusListRegistry
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    reg = new StatusListRegistry({
      signer,
      baseUri: `${base}/sl`,
      listSize: 8192,
      ttlSeconds: 120,
      header: { kid: 'k1' },
      aggregationUri: `${base}/sl-aggregation`,
    })
    handler = createStatusListHandler(reg)
    void registry
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })

  it('serves JWT by default and CWT on request, with caching headers', async () => {
    const [a] = await reg.allocate(1)
    const j = await fetcher(a!.index.uri)
    expect(j.headers['content-type']).toBe('application/statuslist+jwt')
    expect(j.headers['cache-control']).toBe('public, max-age=120')
    const c = await fetcher(a!.index.uri, { headers: { accept: 'application/statuslist+cwt' } })
    expect(c.headers['content-type']).toBe('application/statuslist+cwt')
    expect((await fetcher(`${base}/sl/unknown`)).status).toBe(404)
    // §9 aggregation: every list is named in the aggregation document and points to it
    const agg = JSON.parse(new TextDecoder().decode((await fetcher(`${base}/sl-aggregation`)).body))
    expect(agg.status_lists).toContain(a!.index.uri)
    expect(verifyStatusListJwt(new TextDecoder().decode(j.body), { trust }).aggregationUri).toBe(`${base}/sl-aggregation`)
  })
  it('10,000 checks against one list fetch it once; revoked, suspended and valid are distinct', async () => {
    const refs = await reg.allocate(10_000)
    reg.setStatuses([
      { uri: refs[1]!.index.uri, idx: refs[1]!.index.idx, value: 1 },
      { uri: refs[2]!.index.uri, idx: refs[2]!.index.idx, value: 2 },
    ])
    const checker = createStatusListChecker({ fetcher, trust, clock: { now: () => Date.now() } })
    const results = await Promise.all(refs.map((r) => checker.check(r.status, { now: Date.now() })))
    expect(checker.fetches).toBe(new Set(refs.map((r) => r.index.uri)).size)
    expect(results.slice(0, 3).map((r) => r.state)).toEqual(['valid', 'invalid', 'suspended'])
    expect(results.filter((r) => r.state === 'valid')).toHaveLength(9998)
  })
  it('a list that cannot be fetched or verified is undetermined, with the reason; index out of range is an error', async () => {
    const [r] = await reg.allocate(1)
    const untrusting = createStatusListChecker({ fetcher, trust: { keys: [other.publicJwk] } })
    expect(await untrusting.check(r!.status, { now: Date.now() })).toMatchObject({
      state: 'undetermined',
      reason: 'status_list.signature_invalid',
    })
    failNext = true
    const c = createStatusListChecker({ fetcher, trust })
    expect(await c.check(r!.status, { now: Date.now() })).toMatchObject({
      state: 'undetermined',
      reason: 'status_list.fetch_failed',
    })
    expect(await c.check(r!.status, { now: Date.now() })).toMatchObject({ state: 'valid' })
    const strict = createStatusListChecker({ fetcher: createSafeFetcher(), trust })
    expect((await strict.check(r!.status, { now: Date.now() })).state).toBe('undetermined')
    await expect(c.check({ status_list: { idx: 10_000_000, uri: r!.index.uri } }, { now: Date.now() })).rejects.toMatchObject({
      code: 'status_list.index_out_of_range',
    })
    await expect(c.check({ status_list: { idx: 1, uri: `${base}/sl/other` } }, { now: Date.now() })).resolves.toMatchObject({
      state: 'undetermined',
    })
  })
  it('refetches after ttl', async () => {
    const [r] = await reg.allocate(1)
    const fake = new FakeClock(Date.now())
    const c = createStatusListChecker({ fetcher, trust, clock: fake })
    await c.check(r!.status, { now: fake.now() })
    await c.check(r!.status, { now: fake.now() })
    expect(c.fetches).toBe(1)
    fake.advanceSeconds(121)
    await c.check(r!.status, { now: fake.now() })
    expect(c.fetches).toBe(2)
  })
})

describe('W3C Bitstring Status List', () => {
  it('MSB-first bits, statusSize, GZIP + multibase u, at least 131,072 entries', () => {
    const l = BitstringStatusList.create(16)
    expect(l.size).toBe(131_072)
    l.set(0, 1)
    expect(l.bytes[0]).toBe(0x80)
    const m = BitstringStatusList.create(131_072, 2)
    m.set(1, 2)
    expect(m.bytes[0]).toBe(0b0010_0000)
    const enc = l.encode()
    expect(enc.startsWith('u')).toBe(true)
    expect(BitstringStatusList.decode(enc).get(0)).toBe(1)
    expect(() => BitstringStatusList.decode(`u${b64uEncode(new Uint8Array([1]))}`)).toThrow(
      expect.objectContaining({ code: 'status_list.encoding_invalid' }),
    )
  })
  it('credential as vc+jwt; entry purpose must match the list; revocation/suspension/message', async () => {
    let served: Record<string, string> = {}
    const fetcher = async (url: string) => ({
      url,
      status: 200,
      headers: { 'content-type': 'application/vc+jwt' },
      body: new TextEncoder().encode(served[url] ?? ''),
    })
    const rev = BitstringStatusList.create()
    rev.set(94567, 1)
    const msg = BitstringStatusList.create(131_072, 2)
    msg.set(5, 3)
    served = {
      'https://i/rev': await createBitstringStatusListCredential({
        list: rev,
        id: 'https://i/rev',
        issuer: 'https://i',
        statusPurpose: 'revocation',
        signer,
      }),
      'https://i/msg': await createBitstringStatusListCredential({
        list: msg,
        id: 'https://i/msg',
        issuer: 'https://i',
        statusPurpose: 'message',
        signer,
      }),
    }
    const c = createStatusListChecker({ fetcher, trust })
    const entry = (i: number, purpose = 'revocation', cred = 'https://i/rev', size?: number) => ({
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(i),
      statusListCredential: cred,
      ...(size ? { statusSize: size } : {}),
    })
    expect((await c.check(entry(94567), { now: 0 })).state).toBe('invalid')
    expect((await c.check(entry(1), { now: 0 })).state).toBe('valid')
    await expect(c.check(entry(1, 'suspension'), { now: 0 })).rejects.toMatchObject({ code: 'status_list.purpose_mismatch' })
    expect(await c.check(entry(5, 'message', 'https://i/msg', 2), { now: 0 })).toMatchObject({ state: 'other', value: 3 })
    expect((await c.check([entry(1), entry(94567)], { now: 0 })).state).toBe('invalid')
    const legacy = { ...entry(94567), type: 'StatusList2021Entry' }
    expect((await c.check(legacy, { now: 0 })).state).toBe('invalid')
  })
})

it('fuzz: mutated status list tokens only fail with typed errors', async () => {
  const jwt = await createStatusListJwt({ list: StatusList.create(64, 1), uri: URI, signer })
  fc.assert(
    fc.property(fc.tuple(fc.nat(jwt.length - 1), fc.string({ minLength: 1, maxLength: 2 })), ([i, s]) => {
      try {
        verifyStatusListJwt(jwt.slice(0, i) + s + jwt.slice(i + 1), { trust })
        return true
      } catch (e) {
        return isVcError(e)
      }
    }),
    { numRuns: 300 },
  )
})
