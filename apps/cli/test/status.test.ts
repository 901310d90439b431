import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signerFromPrivateJwk } from '@bonafide/keys'
import { issueSdJwtVc } from '@bonafide/sd-jwt'
import { createStatusListHandler, StatusListRegistry } from '@bonafide/status-list'
import { vectorsPath } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

let dir = ''
let base = ''
let reg: StatusListRegistry
const server = createServer(async (req, res) => {
  const r = await createStatusListHandler(reg)(
    new Request(`${base}${req.url}`, { headers: req.headers as Record<string, string> }),
  )
  res.writeHead(r.status, Object.fromEntries(r.headers))
  res.end(Buffer.from(await r.arrayBuffer()))
})
const env = { BONAFIDE_ALLOW_INSECURE_FETCH: '1' }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-status-'))
  await cli(['keygen', '--out', join(dir, 'issuer.jwk')])
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signer = signerFromPrivateJwk(JSON.parse(await readFile(join(dir, 'issuer.jwk'), 'utf8')))
  reg = new StatusListRegistry({ signer, baseUri: `${base}/sl`, listSize: 4096, bits: 2 })
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('bonafide status', () => {
  it('decode: a served list by URL, as JSON counts and one index', async () => {
    const refs = await reg.allocate(3)
    reg.setStatus(refs[0]!.index.uri, refs[0]!.index.idx, 1)
    reg.setStatus(refs[1]!.index.uri, refs[1]!.index.idx, 2)
    const r = await cli(['status', 'decode', refs[0]!.index.uri, '--json'], { env })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ bits: 2, size: 4096, counts: { '0': 4094, '1': 1, '2': 1 } })
    const one = await cli(['status', 'decode', refs[1]!.index.uri, '--index', String(refs[1]!.index.idx), '--json'], { env })
    expect(JSON.parse(one.out)).toEqual({ index: refs[1]!.index.idx, status: 2 })
    const human = await cli(['status', 'decode', refs[0]!.index.uri], { env })
    expect(human.out).toContain('status 1 (INVALID): 1')
    expect((await cli(['status', 'decode', refs[0]!.index.uri])).code).toBe(1) // http refused without the env flag
  })
  it('check: resolves an SD-JWT VC status reference and reports revoked / valid', async () => {
    const signer = signerFromPrivateJwk(JSON.parse(await readFile(join(dir, 'issuer.jwk'), 'utf8')))
    const [a, b] = await reg.allocate(2)
    reg.setStatus(a!.index.uri, a!.index.idx, 1)
    for (const [ref, state, code] of [
      [a!, 'invalid', 1],
      [b!, 'valid', 0],
    ] as const) {
      const vc = await issueSdJwtVc({ signer, iss: 'https://i', vct: 't', claims: {}, status: ref.status })
      const r = await cli(['status', 'check', vc, '--list-key', join(dir, 'issuer.jwk'), '--json'], { env })
      expect(r.code).toBe(code)
      expect(JSON.parse(r.out).state).toBe(state)
    }
  })
  it('bad input: one line, exit 1; usage errors exit 2', async () => {
    const r = await cli(['status', 'decode', 'nonsense!'])
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect((await cli(['status', 'check', 'x'])).code).toBe(2)
  })
  const v = vectorsPath('status-list')
  it.skipIf(!v)('decode: the draft CWT (hex) and JWT vectors', async () => {
    const cwt = (await readFile(join(v!, 'status_list_cwt.md'), 'utf8')).replace(/\s+/g, '')
    expect(JSON.parse((await cli(['status', 'decode', cwt, '--json'])).out)).toEqual({
      bits: 1,
      size: 16,
      counts: { '0': 7, '1': 9 },
    })
    const jwt = (await readFile(join(v!, 'status_list_jwt_raw.md'), 'utf8')).replace(/\s+/g, '')
    expect(JSON.parse((await cli(['status', 'decode', '-', '--index', '0', '--json'], { stdin: jwt })).out)).toEqual({
      index: 0,
      status: 1,
    })
    expect((await cli(['decode', cwt])).out).toContain('Token Status List (CWT)')
  })
})
