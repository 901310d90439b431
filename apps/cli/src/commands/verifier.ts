import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { createSafeFetcher, parseJson } from '@bonafide/core'
import { createNodeListener, jsonResponse } from '@bonafide/oauth2'
import { Verifier } from '@bonafide/openid4vp'
import { msoMdocValidator, sdJwtVcValidator } from '@bonafide/openid4vp/formats'
import { createStatusListChecker } from '@bonafide/status-list'
import { readTextFile } from '../args.js'
import { createDevChain } from '../dev-pki.js'
import { type Command, type Io, UsageError } from '../io.js'
import { readPublicKeys } from '../keyfile.js'
import { serveUntilStopped, withSubcommands } from '../subcommands.js'

const HELP = `bonafide verifier demo [--port N] [--response-mode direct_post|direct_post.jwt] [--client-id-prefix x509_san_dns|redirect_uri]
    (--trust-anchor PEM | --issuer-key FILE)…
  Starts a standalone OpenID4VP verifier on 127.0.0.1 (memory store, a generated x509_san_dns certificate for
  localhost, or an unsigned redirect_uri client id) that trusts the issuers it is told about (repeatable options) and checks each credential's
  status list (revoked, suspended and undetermined are reported apart).
  Prints {"verifier":URL}. POST /demo/request with a DCQL query (or a Presentation Exchange presentation_definition)
  as the body (optionally ?transaction_data=…)
  answers {"request":"openid4vp://…","session":ID}; GET /demo/result/ID answers the validation result;
  GET /demo/trust-anchor.pem is the root a wallet must trust for this verifier's certificate.`

async function runDemo(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      'response-mode': { type: 'string' },
      'client-id-prefix': { type: 'string' },
      'trust-anchor': { type: 'string', multiple: true },
      'issuer-key': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    io.out(HELP)
    return 0
  }
  const mode = values['response-mode'] ?? 'direct_post'
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt')
    throw new UsageError('--response-mode must be direct_post or direct_post.jwt')
  const prefix = values['client-id-prefix'] ?? 'x509_san_dns'
  if (prefix !== 'x509_san_dns' && prefix !== 'redirect_uri')
    throw new UsageError('--client-id-prefix must be x509_san_dns or redirect_uri')
  const port = values.port === undefined ? 8090 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535')
  const anchors = await Promise.all((values['trust-anchor'] ?? []).map((p) => readTextFile(p, '--trust-anchor')))
  const keys = (await Promise.all((values['issuer-key'] ?? []).map((p) => readPublicKeys(p, '--issuer-key')))).flat()
  if (anchors.length === 0 && keys.length === 0) throw new UsageError('give at least one --trust-anchor or --issuer-key')

  const pki = await createDevChain({ dnsNames: ['localhost'] })
  let origin = ''
  let handler: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  const server = http.createServer(createNodeListener((r) => handler(r), { origin: () => origin }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
  // Status of every presented credential (Token Status List), fetched from the issuer's lists.
  const statusChecker = createStatusListChecker({
    fetcher: createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 1 << 20 }),
    trust: { ...(anchors.length ? { trustAnchors: anchors } : {}), ...(keys.length ? { keys } : {}) },
  })
  const verifier = new Verifier({
    // redirect_uri (§5.9.3): the client id is the response URI and the request is not signed
    ...(prefix === 'redirect_uri'
      ? { clientId: `redirect_uri:${origin}/response` }
      : { clientId: 'x509_san_dns:localhost', signer: pki.leafSigner, x5c: pki.x5c }),
    responseUri: `${origin}/response`,
    responseMode: mode,
    validators: [
      sdJwtVcValidator({
        issuerKeys: {
          ...(keys.length ? { keys } : {}),
          ...(anchors.length ? { trustAnchors: anchors, requireIssInSan: false } : {}),
        },
        statusChecker,
      }),
      msoMdocValidator({ trustAnchors: anchors, statusChecker }),
    ],
  })
  handler = async (req) => {
    const url = new URL(req.url)
    if (req.method === 'POST' && url.pathname === '/response') return verifier.handleResponse(req)
    if (req.method === 'POST' && url.pathname === '/demo/request') {
      let dcql: unknown
      try {
        dcql = parseJson(await req.text(), { maxLength: 64 * 1024 })
      } catch {
        return jsonResponse({ error: 'invalid_request', error_description: 'the body must be a DCQL query' }, 400)
      }
      const td = url.searchParams.getAll('transaction_data')
      try {
        // a body with input_descriptors is a DIF Presentation Exchange definition (the legacy request form)
        const pex = typeof dcql === 'object' && dcql !== null && 'input_descriptors' in dcql
        const o = td.length ? { transactionData: td } : {}
        const r = pex ? await verifier.createPexRequest(dcql, o) : await verifier.createRequest(dcql, o)
        return jsonResponse({ request: r.link, session: r.sessionId })
      } catch (e) {
        return jsonResponse(
          { error: 'invalid_request', error_description: (e as { code?: string }).code ?? 'invalid query' },
          400,
        )
      }
    }
    if (req.method === 'GET' && url.pathname === '/demo/trust-anchor.pem') {
      return new Response(pki.root.pem, { headers: { 'content-type': 'application/x-pem-file' } })
    }
    const m = /^\/demo\/result\/([A-Za-z0-9_-]+)$/.exec(url.pathname)
    if (req.method === 'GET' && m) {
      try {
        const r = await verifier.result(m[1] as string)
        return jsonResponse(r ?? { state: 'pending' })
      } catch {
        return jsonResponse({ error: 'not_found' }, 404)
      }
    }
    return jsonResponse({ error: 'not_found' }, 404)
  }
  io.out(JSON.stringify({ verifier: origin }))
  return serveUntilStopped(server, io)
}

/** `bonafide verifier demo`: a standalone OpenID4VP verifier for wallet developers. */
export const verifierCommand: Command = withSubcommands(
  'verifier',
  'OpenID4VP verifier: `verifier demo` starts a standalone multi-credential verifier on 127.0.0.1',
  HELP,
  { demo: runDemo },
)
