import { Buffer } from 'node:buffer'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import {
  disclosablePaths,
  PID_TYPE_METADATA_BYTES,
  PID_TYPE_METADATA_INTEGRITY,
  PID_VCT,
  validatePidClaims,
} from '@bonafide/agent'
import { createX5cValidator } from '@bonafide/jose'
import { createNodeListener, jsonResponse } from '@bonafide/oauth2'
import { createIssuer, MemoryIssuerStore } from '@bonafide/openid4vci'
import { msoMdocFormat, sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { createStatusListHandler, StatusListRegistry } from '@bonafide/status-list'
import { readTextFile } from '../args.js'
import { createDevChain } from '../dev-pki.js'
import { type Command, type Io, UsageError } from '../io.js'
import { serveUntilStopped, withSubcommands } from '../subcommands.js'

export const SAMPLE_PID = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  nationalities: ['DE'],
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  age_equal_or_over: { '18': true, '21': true, '65': false },
}

const PID_DOCTYPE = 'eu.europa.ec.eudi.pid.1'
/** Satisfies EU_PID_DOCTYPE (ARF PID Rulebook 2025: place_of_birth, nationality and expiry_date are mandatory). */
export const SAMPLE_PID_MDOC = {
  [PID_DOCTYPE]: {
    given_name: 'Erika',
    family_name: 'Mustermann',
    birth_date: '1964-08-12',
    place_of_birth: { country: 'DE', locality: 'Berlin' },
    nationality: ['DE'],
    expiry_date: '2036-08-12',
    resident_city: 'Köln',
    resident_country: 'DE',
    age_over_18: true,
    issuing_country: 'DE',
    issuing_authority: 'DE',
  },
}

const HELP = `bonafide issuer demo [--port N] [--batch-size N] [--profile openid4vci|ts3] [--wallet-provider-root PEM]
  Starts a standalone OpenID4VCI issuer on 127.0.0.1 (memory store, generated keys, development
  certificate chain) with configurations pid_sd_jwt (dc+sd-jwt, vct urn:eudi:pid:1) and pid_mdoc
  (mso_mdoc, doctype eu.europa.ec.eudi.pid.1) and a sample PID;
  each credential carries its own Token Status List index (lists served under /status/).
  Prints {"issuer":URL,"offer":"openid-credential-offer://…"}; GET /demo/offer returns a fresh offer;
  GET /demo/trust-anchor.pem is the root a wallet must trust; GET /type-metadata/pid is the SD-JWT VC
  Type Metadata for urn:eudi:pid:1, whose sha256 the credentials carry as vct#integrity (the vct is a
  URN: verifiers map it to that URL themselves). Claims are checked against the PID JSON Schema and type metadata
  (SD-JWT VC) or the EU PID doctype (mdoc) before issuance. Refresh tokens let wallets refill.
  --wallet-provider-root trusts that wallet provider for key attestations. Runs until stopped.`

/** Where the demo serves the SD-JWT VC Type Metadata of its PID type. */
export const TYPE_METADATA_PATH = '/type-metadata/pid'

function intOption(v: string | undefined, name: string, min: number, max: number, def: number): number {
  if (v === undefined) return def
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a number`)
  const n = Number(v)
  if (n < min || n > max) throw new UsageError(`${name} must be in ${min}..${max}`)
  return n
}

async function runDemo(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      'batch-size': { type: 'string' },
      profile: { type: 'string' },
      'wallet-provider-root': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    io.out(HELP)
    return 0
  }
  const port = intOption(values.port, '--port', 0, 65535, 8080)
  const batchSize = intOption(values['batch-size'], '--batch-size', 1, 1000, 10)
  const profile = values.profile ?? 'openid4vci'
  if (profile !== 'openid4vci' && profile !== 'ts3') throw new UsageError('--profile must be openid4vci or ts3')
  const providerRoot = values['wallet-provider-root']
    ? await readTextFile(values['wallet-provider-root'], 'wallet provider root')
    : undefined

  const pki = await createDevChain({ dnsNames: ['127.0.0.1', 'localhost'] })
  let origin = ''
  let handler: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  const server = http.createServer(createNodeListener((r) => handler(r), { origin: () => origin }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const addr = server.address()
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? (addr as AddressInfo).port : port}`
  // Token Status List: each credential gets its own (non-sequential) index, served under /status/.
  const registry = new StatusListRegistry({
    signer: pki.leafSigner,
    baseUri: `${origin}/status`,
    listSize: 1 << 16,
    header: { x5c: pki.x5c },
  })
  const statusHandler = createStatusListHandler(registry)
  const issuer = createIssuer({
    issuer: origin,
    statusAllocator: { allocate: async (n) => (await registry.allocate(n)).map((r) => r.status.status_list) },
    store: new MemoryIssuerStore(),
    formats: [
      sdJwtVcFormat({
        signer: pki.leafSigner,
        x5c: pki.x5c,
        // every claim, and every member of a nested object (address.locality, age_equal_or_over.18), is its own
        // disclosure, so a wallet can show one of them without the rest (as the PID rulebook expects)
        disclosable: (_id, claims) => disclosablePaths(claims),
        validForSeconds: 30 * 86400,
        // SD-JWT VC §2.2.2.3: the hash of the Type Metadata served at TYPE_METADATA_PATH, byte for byte.
        vctIntegrity: (_, c) => (c.vct === PID_VCT ? PID_TYPE_METADATA_INTEGRITY : undefined),
      }),
      msoMdocFormat({
        signer: pki.leafSigner,
        x5chain: pki.x5c.map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
        validForSeconds: 30 * 86400,
      }),
    ],
    configurations: {
      pid_sd_jwt: {
        format: 'dc+sd-jwt',
        vct: PID_VCT,
        scope: 'pid',
        credential_metadata: { display: [{ name: 'PID (SD-JWT VC)', locale: 'en' }] },
      },
      pid_mdoc: {
        format: 'mso_mdoc',
        doctype: PID_DOCTYPE,
        scope: 'pid_mdoc',
        credential_signing_alg_values_supported: [-7],
        credential_metadata: { display: [{ name: 'PID (mdoc)', locale: 'en' }] },
      },
    },
    batchSize,
    profile,
    claims: ({ configurationId }) => (configurationId === 'pid_mdoc' ? SAMPLE_PID_MDOC : SAMPLE_PID),
    validateClaims: validatePidClaims,
    authorize: () => ({ demo: true }),
    // Rotating refresh tokens, so wallets can refill their pools without a new offer.
    refreshTokenTtlSeconds: 30 * 86400,
    display: [{ name: 'Bonafide demo issuer', locale: 'en' }],
    encryption: {},
    ...(providerRoot ? { keyAttestation: { trustedProviders: createX5cValidator([providerRoot]) } } : {}),
  })
  const jwks = { issuer: origin, jwks: { keys: [{ ...pki.leafSigner.publicJwk }] } }
  const newOffer = async () => (await issuer.createOffer({ configurationIds: ['pid_sd_jwt', 'pid_mdoc'] })).link
  handler = async (req) => {
    const path = new URL(req.url).pathname
    if (req.method === 'GET' && path === '/demo/offer') return jsonResponse({ issuer: origin, offer: await newOffer() })
    // The root of the demo's document-signer chain, for wallets that must trust it (mdoc IACA, x5c).
    if (req.method === 'GET' && path === '/demo/trust-anchor.pem')
      return new Response(pki.root.pem, { headers: { 'content-type': 'application/x-pem-file' } })
    // SD-JWT VC §5: JWT VC Issuer Metadata, so wallets can find the issuer key.
    if (req.method === 'GET' && path === '/.well-known/jwt-vc-issuer') return jsonResponse(jwks)
    // SD-JWT VC §4.3.2 (a registry): vct is a URN, so its Type Metadata is served here rather than at the vct.
    if (req.method === 'GET' && path === TYPE_METADATA_PATH)
      return new Response(PID_TYPE_METADATA_BYTES, {
        headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
      })
    if (req.method === 'GET' && path.startsWith('/status/')) return statusHandler(req)
    return issuer.handle(req)
  }
  io.out(JSON.stringify({ issuer: origin, offer: await newOffer() }))
  return serveUntilStopped(server, io)
}

/** `bonafide issuer demo`: a standalone OpenID4VCI issuer for wallet developers. */
export const issuerCommand: Command = withSubcommands(
  'issuer',
  'OpenID4VCI issuer: `issuer demo` starts a standalone batch-issuing issuer on 127.0.0.1',
  HELP,
  { demo: runDemo },
)
