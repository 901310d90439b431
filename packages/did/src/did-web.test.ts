import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, type Fetcher } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveDid, resolveDidKey } from './did.js'
import { createDidWeb, didWebUrl, resolveDidWeb } from './did-web.js'
import { createDidWebDocument, parseDidDocument } from './document.js'
import { jwkToMultibase } from './multikey.js'
import { createDidResolver, resolveDidAsync, resolveDidKeyAsync } from './resolver.js'

const es = signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk
const ed = signerFromPrivateJwk(generatePrivateJwk('EdDSA')).publicJwk
const code = (c: string) => expect.objectContaining({ code: c })

describe('did:web URLs (did:web method §3.2)', () => {
  it('maps the domain, the percent-encoded port and the path', () => {
    expect(didWebUrl('did:web:example.com')).toBe('https://example.com/.well-known/did.json')
    expect(didWebUrl('did:web:example.com:user:alice')).toBe('https://example.com/user/alice/did.json')
    expect(didWebUrl('did:web:example.com%3A3000:user:alice')).toBe('https://example.com:3000/user/alice/did.json')
    expect(createDidWeb('https://example.com:3000/user/alice')).toBe('did:web:example.com%3A3000:user:alice')
    expect(createDidWeb('https://example.com/.well-known/did.json')).toBe('did:web:example.com')
  })
  it('refuses hosts and paths that would escape or change the URL', () => {
    for (const bad of [
      'did:web:',
      'did:web:exa_mple.com',
      'did:web:example.com%2F..',
      'did:web:example.com:..',
      'did:web:example.com:a%2Fb',
      'did:web:user%40example.com',
      'did:web:example.com%3A99999',
      'did:web:example.com::x',
      'did:key:z6Mk',
    ])
      expect(() => didWebUrl(bad), bad).toThrow(code('did.invalid'))
    expect(() => createDidWeb('http://example.com')).toThrow(code('did.invalid'))
  })
})

describe('DID documents (DID Core §5): strict parsing', () => {
  const did = 'did:web:example.com'
  const vm = { id: `${did}#k1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: es }
  it('accepts JsonWebKey2020, JsonWebKey and Multikey, references and embedded methods, relative ids', () => {
    const doc = parseDidDocument(
      {
        id: did,
        verificationMethod: [vm, { id: '#k2', type: 'Multikey', controller: did, publicKeyMultibase: jwkToMultibase(ed) }],
        assertionMethod: ['#k1'],
        authentication: [{ id: '#k3', type: 'JsonWebKey', controller: did, publicKeyJwk: ed }, `${did}#k2`],
      },
      did,
    )
    expect(doc.verificationMethod.map((m) => m.id)).toEqual([`${did}#k1`, `${did}#k2`, `${did}#k3`])
    expect(doc.verificationMethod[1]?.publicKeyJwk).toEqual(ed)
    expect(doc.authentication).toEqual([`${did}#k3`, `${did}#k2`])
    expect(resolveDidKey(`${did}#k3`, { purpose: 'authentication', resolve: () => doc })).toEqual(ed)
    expect(() => resolveDidKey(`${did}#k3`, { purpose: 'assertionMethod', resolve: () => doc })).toThrow(
      code('did.relationship_missing'),
    )
  })
  it('refuses a document whose id is not the DID, private keys, two key forms, duplicate ids and foreign ids', () => {
    const bad: unknown[] = [
      { id: 'did:web:evil.example', verificationMethod: [vm] },
      { id: did, verificationMethod: [{ ...vm, publicKeyJwk: generatePrivateJwk('ES256') }] },
      { id: did, verificationMethod: [{ ...vm, publicKeyMultibase: jwkToMultibase(es) }] },
      { id: did, verificationMethod: [{ ...vm, publicKeyJwk: undefined }] },
      { id: did, verificationMethod: [vm, vm] },
      { id: did, verificationMethod: [{ ...vm, id: 'did:web:evil.example#k1' }] },
      { id: did, verificationMethod: [{ ...vm, controller: 'example.com' }] },
      { id: did, verificationMethod: [{ ...vm, type: 'Multikey' }] },
      { id: did, verificationMethod: [{ ...vm, publicKeyJwk: undefined, publicKeyMultibase: jwkToMultibase(es) }] },
      { id: did, verificationMethod: 'k1' },
      { id: did, authentication: [42] },
      [],
      null,
    ]
    for (const b of bad) expect(() => parseDidDocument(b, did), JSON.stringify(b)).toThrow(code('did.document_invalid'))
  })
  it('createDidWebDocument builds a document that parses back, keys under assertionMethod and authentication', () => {
    const doc = createDidWebDocument({ did, keys: [es, { publicJwk: ed, fragment: 'ed', relationships: ['authentication'] }] })
    const back = parseDidDocument(JSON.parse(JSON.stringify(doc)), did)
    expect(back).toEqual(doc)
    expect(doc.assertionMethod).toHaveLength(1)
    expect(doc.authentication).toEqual([doc.verificationMethod[0]?.id, `${did}#ed`])
    expect(() => createDidWebDocument({ did: 'did:key:z6Mk', keys: [es] })).toThrow(code('did.invalid'))
    expect(() => createDidWebDocument({ did, keys: [] })).toThrow(code('did.invalid'))
  })
})

describe('did:web resolution over real HTTP on 127.0.0.1', () => {
  const docs = new Map<string, { status: number; body: string }>()
  const server = createServer((req, res) => {
    const d = docs.get(req.url ?? '')
    res.writeHead(d?.status ?? 404, { 'content-type': 'application/did+json' })
    res.end(d?.body ?? '')
  })
  let host = ''
  // did:web is https-only; the test server speaks http, so the test fetcher rewrites the scheme and allows loopback.
  const safe = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const fetcher: Fetcher = (url, req) => safe(url.replace(/^https:/, 'http:'), req)
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    host = `127.0.0.1%3A${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('resolves /.well-known/did.json and a path DID, then selects the key for a purpose', async () => {
    const did = `did:web:${host}`
    const alice = `did:web:${host}:user:alice`
    docs.set('/.well-known/did.json', { status: 200, body: JSON.stringify(createDidWebDocument({ did, keys: [es] })) })
    docs.set('/user/alice/did.json', {
      status: 200,
      body: JSON.stringify(createDidWebDocument({ did: alice, keys: [{ publicJwk: ed, fragment: 'a' }] })),
    })
    const doc = await resolveDidWeb(did, { fetcher })
    expect(doc.verificationMethod[0]?.publicKeyJwk).toEqual(es)
    expect(await resolveDidKeyAsync(`${alice}#a`, { purpose: 'authentication', fetcher })).toEqual(ed)
    expect((await resolveDidAsync(alice, { fetcher })).id).toBe(alice)
    // did:jwk and did:key still resolve through the async path, with or without a fetcher
    const { createDidKey } = await import('./did.js')
    expect((await resolveDidAsync(createDidKey(ed))).verificationMethod[0]?.publicKeyJwk).toEqual(ed)
  })
  it('refuses a document served for another DID, HTTP errors, oversize bodies, non-JSON, and did:web without a fetcher', async () => {
    const did = `did:web:${host}:mismatch`
    docs.set('/mismatch/did.json', {
      status: 200,
      body: JSON.stringify(createDidWebDocument({ did: `did:web:${host}`, keys: [es] })),
    })
    await expect(resolveDidWeb(did, { fetcher })).rejects.toMatchObject({ code: 'did.document_invalid' })
    await expect(resolveDidWeb(`did:web:${host}:missing`, { fetcher })).rejects.toMatchObject({ code: 'did.resolution_failed' })
    docs.set('/big/did.json', { status: 200, body: `{"id":"${'x'.repeat(70_000)}"}` })
    await expect(resolveDidWeb(`did:web:${host}:big`, { fetcher })).rejects.toMatchObject({ code: 'did.resolution_failed' })
    docs.set('/html/did.json', { status: 200, body: '<html>' })
    await expect(resolveDidWeb(`did:web:${host}:html`, { fetcher })).rejects.toMatchObject({ code: 'did.document_invalid' })
    await expect(resolveDidAsync(`did:web:${host}`)).rejects.toMatchObject({ code: 'did.method_unsupported' })
    expect(() => resolveDid(`did:web:${host}`)).toThrow(code('did.method_unsupported'))
    await expect(createDidResolver({ fetcher, methods: ['key'] }).resolve(`did:web:${host}`)).rejects.toMatchObject({
      code: 'did.method_unsupported',
    })
  })
  it('the production fetcher refuses loopback did:web hosts (private-address blocking)', async () => {
    await expect(resolveDidWeb(`did:web:${host}`, { fetcher: createSafeFetcher() })).rejects.toMatchObject({
      code: 'did.resolution_failed',
      cause: expect.objectContaining({ code: 'core.fetch_forbidden_address' }),
    })
  })
})
