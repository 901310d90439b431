import { b64uEncode, type Clock, type JsonObject, OAuthError, type RandomSource, systemClock, systemRandom } from '@bonafide/core'
import { type DpopNonceSource, verifyClientAttestation, verifyDpopProof } from '@bonafide/oauth2'
import { createRequestEncryptionKey, type RequestEncryptionKey } from './encryption.js'
import { FormatRegistry } from './format.js'
import type { IssuerOptions } from './issuer-options.js'
import { buildAsMetadata, buildConfigurations, buildIssuerMetadata } from './metadata.js'

/** Everything a handler needs, built once per issuer. */
export interface IssuerContext {
  readonly o: IssuerOptions
  readonly registry: FormatRegistry
  readonly configurations: Record<string, JsonObject>
  readonly metadata: JsonObject
  readonly asMetadata: JsonObject
  readonly clock: Clock
  readonly random: RandomSource
  readonly dpopNonces: DpopNonceSource | undefined
  readonly requestKey: RequestEncryptionKey | undefined
  newId(bytes?: number): string
  expiresIn(seconds: number): number
}

export function createIssuerContext(o: IssuerOptions): IssuerContext {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 1000)
    throw new OAuthError('server_error', 'batchSize must be an integer in 1..1000')
  const registry = new FormatRegistry(o.formats)
  const configurations = buildConfigurations(o, registry)
  const clock = o.clock ?? systemClock
  const random = o.random ?? systemRandom
  const newId = (bytes = 32) => b64uEncode(random.bytes(bytes))
  const expiresIn = (s: number) => clock.now() + s * 1000
  const dpopNonces: DpopNonceSource | undefined = o.dpop?.nonce
    ? {
        check: async (n) => (await o.store.get('dpop_nonce', n)) !== undefined,
        current: async () => {
          const n = newId(16)
          await o.store.put('dpop_nonce', n, {}, expiresIn(300))
          return n
        },
      }
    : undefined
  const requestKey = o.encryption ? createRequestEncryptionKey(o.encryption.requestKey) : undefined
  return {
    o,
    registry,
    configurations,
    requestKey,
    metadata: buildIssuerMetadata(o, configurations, requestKey?.publicJwk),
    asMetadata: buildAsMetadata(o),
    clock,
    random,
    dpopNonces,
    newId,
    expiresIn,
  }
}

/** Verify a DPoP header when present (or required). Returns the key thumbprint. */
export async function checkDpop(
  ctx: IssuerContext,
  req: Request,
  extra: { accessToken?: string; expectedJkt?: string; resourceServer?: boolean } = {},
): Promise<string | undefined> {
  const header = req.headers.get('dpop')
  if (header === null && !ctx.o.dpop?.required && extra.expectedJkt === undefined) return undefined
  const url = new URL(req.url)
  const v = await verifyDpopProof(header, {
    method: req.method,
    // htu is checked against our own origin (never the Host header) and the request path.
    url: new URL(url.pathname, ctx.o.issuer).toString(),
    replay: ctx.o.store,
    clock: ctx.clock,
    ...(ctx.dpopNonces ? { nonces: ctx.dpopNonces } : {}),
    ...extra,
  })
  return v.jkt
}

/** Verify wallet attestation headers when present (or required). Returns the attested client_id. */
export async function checkClientAttestation(ctx: IssuerContext, req: Request): Promise<string | undefined> {
  const ca = ctx.o.clientAttestation
  const att = req.headers.get('oauth-client-attestation')
  const pop = req.headers.get('oauth-client-attestation-pop')
  if (!ca) return undefined
  if (att === null && pop === null && !ca.required) return undefined
  const v = await verifyClientAttestation(att, pop, {
    trustedProviders: ca.trustedProviders,
    audience: ctx.o.issuer,
    replay: ctx.o.store,
    clock: ctx.clock,
  })
  return v.clientId
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function strArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}
