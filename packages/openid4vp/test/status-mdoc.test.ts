import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { b64uEncode, createSafeFetcher } from '@bonafide/core'
import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { issueMdoc, openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { createStatusListChecker, createStatusListHandler, StatusListRegistry } from '@bonafide/status-list'
import { createDevChain } from '@bonafide/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { msoMdocValidator } from '../src/formats/index.js'
import { MemoryNonceGuard, parseDcqlQuery, validateVpToken } from '../src/index.js'

const NS = 'org.iso.18013.5.1'
const MDL = 'org.iso.18013.5.1.mDL'

describe('mso_mdoc status (Token Status List in the MSO): revoked, suspended and undetermined are told apart', async () => {
  const pki = await createDevChain()
  const signer = createLocalSigner(pki.leaf.key, { store: 't', id: 'i' }, 'ES256')
  let handler: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  const server = http.createServer(async (req, res) => {
    const r = await handler(new Request(`${base}${req.url}`))
    res.writeHead(r.status, Object.fromEntries(r.headers))
    res.end(Buffer.from(await r.arrayBuffer()))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const registry = new StatusListRegistry({ signer, baseUri: `${base}/status`, listSize: 1024, header: { x5c: pki.x5c } })
  handler = createStatusListHandler(registry)
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const checker = createStatusListChecker({
    fetcher,
    trust: { trustAnchors: [pki.root.pem] },
    defaultTtlSeconds: 0,
    maxTtlSeconds: 0,
  })
  const validators = [msoMdocValidator({ trustAnchors: [pki.root.pem], statusChecker: checker })]
  const dcql = parseDcqlQuery({
    credentials: [{ id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL }, claims: [{ path: [NS, 'age_over_18'] }] }],
  })

  async function respond(status: { status_list: { idx: number; uri: string } }, nonce: string) {
    const holder = createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'h' }, 'ES256')
    const mdoc = await issueMdoc({
      signer,
      x5chain: [pki.leaf.der],
      docType: MDL,
      claims: { [NS]: { age_over_18: true } },
      deviceKey: holder.publicJwk,
      status,
    })
    const p = await presentMdoc({
      issuerSigned: mdoc,
      disclose: { [NS]: ['age_over_18'] },
      deviceSigner: holder,
      sessionTranscript: openid4vpSessionTranscript({
        clientId: 'x509_san_dns:v.example',
        nonce,
        responseUri: 'https://v.example/post',
      }),
    })
    return validateVpToken({
      dcql,
      vpToken: { mdl: [b64uEncode(p)] },
      validators,
      clientId: 'x509_san_dns:v.example',
      nonce,
      responseUri: 'https://v.example/post',
      nonceGuard: new MemoryNonceGuard(),
    })
  }

  it('§ status: valid accepted, revoked and suspended rejected with distinct codes, an unreachable list is undetermined', async () => {
    const [a, b, c] = await registry.allocate(3)
    const uri = (x: typeof a) => x?.status as { status_list: { idx: number; uri: string } }
    expect((await respond(uri(a), 'n1')).valid).toBe(true)
    registry.setStatus(b?.status.status_list.uri as string, b?.status.status_list.idx as number, 1)
    registry.setStatus(c?.status.status_list.uri as string, c?.status.status_list.idx as number, 2)
    expect((await respond(uri(b), 'n2')).credentials[0]?.error?.code).toBe('openid4vp.status_revoked')
    expect((await respond(uri(c), 'n3')).credentials[0]?.error?.code).toBe('openid4vp.status_suspended')
    const gone = await respond({ status_list: { idx: 0, uri: `${base}/nowhere` } }, 'n4')
    expect(gone.valid).toBe(false)
    expect(gone.credentials[0]?.error?.code).toBe('openid4vp.status_undetermined')
  })
})
