import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, type Fetcher, type JsonObject } from '@bonafide/core'
import { createLocalSigner, type KeyStore, MemoryKeyStore } from '@bonafide/keys'
import { createNodeListener } from '@bonafide/oauth2'
import { createIssuer, MemoryIssuerStore } from '@bonafide/openid4vci'
import { msoMdocFormat, sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { Verifier } from '@bonafide/openid4vp'
import { msoMdocValidator, sdJwtVcValidator } from '@bonafide/openid4vp/formats'
import { createStatusListChecker, createStatusListHandler, StatusListRegistry } from '@bonafide/status-list'
import { createDevChain } from '@bonafide/testing'
import { MemoryWalletStore, msoMdocWalletFormat, sdJwtVcWalletFormat, Wallet, type WalletStore } from '../src/index.js'

export const PID = 'urn:eudi:pid:1'
export const PID_MDOC = 'eu.europa.ec.eudi.pid.1'
export const PID_CLAIMS: JsonObject = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  age_over_18: true,
}
export const PID_MDOC_CLAIMS: JsonObject = { [PID_MDOC]: { given_name: 'Erika', family_name: 'Mustermann', age_over_18: true } }

async function serve(handler: () => (req: Request) => Promise<Response>, host = '127.0.0.1') {
  let origin = ''
  const server = http.createServer(createNodeListener((r) => handler()(r), { origin: () => origin }))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://${host}:${(server.address() as AddressInfo).port}`
  return { origin, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** An issuer (PID as SD-JWT VC and mdoc, batches of 10, refresh tokens, Token Status List) and a verifier, on 127.0.0.1. */
export async function startWorld(o: { refreshTokens?: boolean; dpop?: boolean } = {}) {
  const issuerPki = await createDevChain()
  const verifierPki = await createDevChain({ dnsNames: ['localhost'], leafDays: 800 })
  const signer = createLocalSigner(issuerPki.leaf.key, { store: 't', id: 'issuer' }, 'ES256')
  let issuerHandler: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  const issuerServer = await serve(() => issuerHandler)
  const registry = new StatusListRegistry({
    signer,
    baseUri: `${issuerServer.origin}/status`,
    listSize: 1 << 12,
    header: { x5c: issuerPki.x5c },
  })
  const statusHandler = createStatusListHandler(registry)
  const issuer = createIssuer({
    issuer: issuerServer.origin,
    store: new MemoryIssuerStore(),
    statusAllocator: { allocate: async (n) => (await registry.allocate(n)).map((r) => r.status.status_list) },
    formats: [sdJwtVcFormat({ signer, x5c: issuerPki.x5c }), msoMdocFormat({ signer, x5chain: [issuerPki.leaf.der] })],
    configurations: {
      pid_sd_jwt: { format: 'dc+sd-jwt', vct: PID, scope: 'pid', credential_metadata: { display: [{ name: 'PID' }] } },
      pid_mdoc: { format: 'mso_mdoc', doctype: PID_MDOC, scope: 'pid_mdoc', credential_signing_alg_values_supported: [-7] },
    },
    batchSize: 10,
    claims: ({ configurationId }) => (configurationId === 'pid_mdoc' ? PID_MDOC_CLAIMS : PID_CLAIMS),
    authorize: () => ({ subject: 'erika' }),
    ...(o.refreshTokens === false ? {} : { refreshTokenTtlSeconds: 3600 }),
    ...(o.dpop ? { dpop: { required: true, nonce: true } } : {}),
  })
  issuerHandler = (req) => (new URL(req.url).pathname.startsWith('/status/') ? statusHandler(req) : issuer.handle(req))

  let verifier: Verifier | undefined
  /** Every vp_token the verifier received, as sent. */
  const received: Record<string, string[]>[] = []
  const verifierServer = await serve(
    () => async (req) => {
      const form = new URLSearchParams(await req.clone().text())
      const vp = form.get('vp_token')
      if (vp)
        try {
          received.push(JSON.parse(vp))
        } catch {
          received.push({ '': [vp] }) // a single presentation sent as itself (Presentation Exchange)
        }
      return (verifier as Verifier).handleResponse(req)
    },
    'localhost',
  )
  verifier = new Verifier({
    clientId: 'x509_san_dns:localhost',
    signer: createLocalSigner(verifierPki.leaf.key, { store: 't', id: 'verifier' }, 'ES256'),
    x5c: verifierPki.x5c,
    responseUri: `${verifierServer.origin}/post`,
    redirectUri: `${verifierServer.origin}/done`,
    validators: [
      sdJwtVcValidator({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
      msoMdocValidator({ trustAnchors: [issuerPki.root.pem] }),
    ],
  })
  const fetcher: Fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })
  return {
    issuerUrl: issuerServer.origin,
    registry,
    verifier,
    received,
    fetcher,
    issuerRoot: issuerPki.root.pem,
    verifierRoot: verifierPki.root.pem,
    offer: async (ids = ['pid_sd_jwt', 'pid_mdoc']) => (await issuer.createOffer({ configurationIds: ids })).link,
    /** A wallet trusting this world's issuer and verifier. */
    wallet(
      store: WalletStore = new MemoryWalletStore(),
      extra: { statusChecks?: boolean; clock?: { now(): number }; keyStore?: KeyStore; dpop?: boolean } = {},
    ) {
      return new Wallet({
        store,
        keyStore: extra.keyStore ?? new MemoryKeyStore(),
        fetcher,
        formats: [
          sdJwtVcWalletFormat({ issuerKeys: { trustAnchors: [issuerPki.root.pem], requireIssInSan: false } }),
          msoMdocWalletFormat({ trustAnchors: [issuerPki.root.pem] }),
        ],
        verifierTrustAnchors: [verifierPki.root.pem],
        ...(extra.statusChecks
          ? {
              statusChecker: createStatusListChecker({
                fetcher,
                trust: { trustAnchors: [issuerPki.root.pem] },
                defaultTtlSeconds: 0,
                maxTtlSeconds: 0, // tests change statuses between presentations
              }),
            }
          : {}),
        ...(extra.clock ? { clock: extra.clock } : {}),
        ...(extra.dpop ? { dpop: true } : {}),
      })
    },
    close: async () => {
      await issuerServer.close()
      await verifierServer.close()
    },
  }
}
