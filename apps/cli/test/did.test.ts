import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveDidKey } from '@bonafide/did'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

let dir = ''
const docs = new Map<string, string>()
const server = createServer((req, res) => {
  const body = docs.get(req.url ?? '')
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/did+json' })
  res.end(body ?? '')
})
let host = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-did-'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('bonafide did', () => {
  it.each([
    ['key', 'ES256', /^did:key:zDn/],
    ['key', 'EdDSA', /^did:key:z6Mk/],
    ['jwk', 'ES256', /^did:jwk:/],
  ] as const)('create --method %s --alg %s writes the key and prints the DID, kid and document', async (method, alg, re) => {
    const out = join(dir, `${method}-${alg}.jwk`)
    const r = await cli(['did', 'create', '--method', method, '--alg', alg, '--out', out])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j.did).toMatch(re)
    expect(j.privateJwk).toBeUndefined()
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    const signer = signerFromPrivateJwk(JSON.parse(await readFile(out, 'utf8')))
    expect(resolveDidKey(j.kid, { purpose: 'authentication' })).toEqual(signer.publicJwk)
    const back = await cli(['did', 'resolve', j.did])
    expect(back.code).toBe(0)
    expect(JSON.parse(back.out)).toEqual(j.document)
  })
  it('create --key reuses an existing key; without --out the new private key is printed', async () => {
    const keyFile = join(dir, 'existing.jwk')
    const priv = generatePrivateJwk('EdDSA')
    await writeFile(keyFile, JSON.stringify(priv))
    const r = await cli(['did', 'create', '--method', 'key', '--key', keyFile])
    expect(JSON.parse(r.out).publicJwk.x).toBe(priv.x)
    expect(JSON.parse(r.out).privateJwk).toBeUndefined()
    const printed = JSON.parse((await cli(['did', 'create', '--method', 'jwk'])).out)
    expect(signerFromPrivateJwk(printed.privateJwk).publicJwk).toEqual(printed.publicJwk)
  })
  it('create --method web builds the document to host; resolve fetches it (insecure fetch for the local server)', async () => {
    const r = await cli(['did', 'create', '--method', 'web', '--url', `https://${host}/user/alice`])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j.did).toBe(`did:web:${host.replace(':', '%3A')}:user:alice`)
    docs.set('/user/alice/did.json', JSON.stringify(j.document))
    const env = { BONAFIDE_ALLOW_INSECURE_FETCH: '1' }
    const back = await cli(['did', 'resolve', j.did], { env })
    expect(back.code).toBe(0)
    expect(JSON.parse(back.out).verificationMethod[0].publicKeyJwk).toEqual(j.publicJwk)
    // without the insecure flag the loopback host is refused
    const refused = await cli(['did', 'resolve', j.did])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('did.resolution_failed')
  })
  it('refuses bad usage (exit 2) and bad DIDs (exit 1, typed code)', async () => {
    expect((await cli(['did', 'create', '--method', 'peer'])).code).toBe(2)
    expect((await cli(['did', 'create', '--method', 'key', '--alg', 'ES384'])).code).toBe(2)
    expect((await cli(['did', 'create', '--method', 'web'])).code).toBe(2)
    expect((await cli(['did', 'resolve'])).code).toBe(2)
    expect((await cli(['did'])).code).toBe(2)
    const bad = await cli(['did', 'resolve', 'did:key:z111'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/did\.(invalid|key_unsupported)/)
  })
})
