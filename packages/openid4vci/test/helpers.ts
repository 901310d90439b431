import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeFetcher, type JsonObject } from '@bonafide/core'
import { createX5cValidator } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject, MemoryKeyStore, type PublicJwk, type Signer } from '@bonafide/keys'
import { createClientAttestation, createNodeListener } from '@bonafide/oauth2'
import {
  createIssuer,
  createKeyAttestation,
  type Issuer,
  type IssuerOptions,
  type KeyAttestor,
  MemoryIssuerStore,
  WalletClient,
  type WalletClientOptions,
} from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { createDevChain } from '@bonafide/testing'

export const PID_CLAIMS: JsonObject = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  nationalities: ['DE'],
}

export interface WalletProvider {
  signer: Signer
  x5c: string[]
  rootPem: string
  rootB64: string
  attestor(o?: { profile?: 'openid4vci' | 'ts3'; validForSeconds?: number; keyStorage?: string[] }): KeyAttestor
}

/** A test wallet provider with its own certificate chain. */
export async function createWalletProvider(): Promise<WalletProvider> {
  const chain = await createDevChain({ alg: 'ES256', leafName: 'CN=Test Wallet Provider' })
  const signer = createLocalSigner(chain.leaf.key, { store: 'test', id: 'wp' }, 'ES256')
  return {
    signer,
    x5c: chain.x5c,
    rootPem: chain.root.pem,
    rootB64: chain.root.b64,
    attestor:
      (o = {}) =>
      ({ keys, nonce }) =>
        createKeyAttestation({
          providerSigner: signer,
          x5c: chain.x5c,
          attestedKeys: keys,
          nonce,
          keyStorage: o.keyStorage ?? ['iso_18045_high'],
          userAuthentication: ['iso_18045_high'],
          profile: o.profile ?? 'openid4vci',
          ...(o.validForSeconds !== undefined ? { validForSeconds: o.validForSeconds } : {}),
        }),
  }
}

export interface Running {
  url: string
  issuer: Issuer
  issuerKey: PublicJwk
  store: MemoryIssuerStore
  audits: JsonObject[]
  notifications: JsonObject[]
  close(): Promise<void>
}

/** Start an issuer on 127.0.0.1 over node:http. */
export async function startIssuer(
  over: Partial<IssuerOptions> & { trustProviders?: string[]; path?: string } = {},
): Promise<Running> {
  let handler: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 })
  let origin = ''
  const server = http.createServer(createNodeListener((r) => handler(r), { origin: () => origin }))
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const issuerSigner = createLocalSigner(generateKeyObject('ES256'), { store: 'test', id: 'issuer' }, 'ES256')
  const store = new MemoryIssuerStore()
  const audits: JsonObject[] = []
  const notifications: JsonObject[] = []
  let next = 0
  const { trustProviders, path, ...rest } = over
  const id = origin + (path ?? '')
  const issuer = createIssuer({
    issuer: id,
    store,
    formats: [sdJwtVcFormat({ signer: issuerSigner })],
    configurations: { pid_sd_jwt: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', scope: 'pid' } },
    batchSize: 50,
    claims: () => PID_CLAIMS,
    audit: (r) => {
      audits.push(JSON.parse(JSON.stringify(r)))
    },
    notification: (e) => {
      notifications.push({ ...e })
    },
    statusAllocator: { allocate: async (n) => Array.from({ length: n }, () => ({ uri: `${origin}/status/1`, idx: next++ })) },
    authorize: () => ({ subject: 'user-1' }),
    ...(trustProviders ? { keyAttestation: { trustedProviders: createX5cValidator(trustProviders) } } : {}),
    ...rest,
  })
  handler = issuer.handle
  return {
    url: id,
    issuer,
    issuerKey: issuerSigner.publicJwk,
    store,
    audits,
    notifications,
    close: () => new Promise<void>((res) => server.close(() => res())),
  }
}

export function loopbackFetcher() {
  return createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })
}

export function walletFor(r: Running, extra: Partial<WalletClientOptions> = {}): WalletClient {
  return new WalletClient({
    fetcher: loopbackFetcher(),
    keyStore: new MemoryKeyStore(),
    formats: [sdJwtVcFormat({ issuerKeys: { keys: [r.issuerKey] } })],
    ...extra,
  })
}

export async function walletAttestationFor(provider: WalletProvider, clientId: string) {
  const instance = createLocalSigner(generateKeyObject('ES256'), { store: 'test', id: 'instance' }, 'ES256')
  const attestation = await createClientAttestation({
    providerSigner: provider.signer,
    x5c: provider.x5c,
    clientId,
    instanceKey: instance.publicJwk,
  })
  return { attestation, instanceSigner: instance }
}
