import type { JsonObject } from '@bonafide/core'
import { jsonResponse, withOAuthErrors } from '@bonafide/oauth2'
import { handleAuthorize, handlePar, handleToken } from './authorization-server.js'
import { createIssuerContext, type IssuerContext } from './context.js'
import { handleCredential, handleNonce } from './credential-endpoint.js'
import { handleDeferred, handleNotification } from './deferred-notification.js'
import { type IssuerOptions, PATHS } from './issuer-options.js'
import { type CreatedOffer, type CreateOfferOptions, createOffer, handleOfferByReference } from './offer.js'
import { signIssuerMetadata } from './signed-metadata.js'

export interface Issuer {
  /** The whole issuer (and its authorization server) as one Fetch API handler. */
  readonly handle: (req: Request) => Promise<Response>
  /** Individual handlers, to mount under other routers. */
  readonly handlers: Readonly<Record<keyof typeof PATHS, (req: Request) => Promise<Response>>>
  readonly metadata: JsonObject
  readonly asMetadata: JsonObject
  createOffer(o: CreateOfferOptions): Promise<CreatedOffer>
  readonly context: IssuerContext
}

/**
 * An OpenID4VCI 1.0 issuer with a built-in authorization server, as framework-agnostic handlers.
 * @example
 * const issuer = createIssuer({ issuer: 'https://issuer.example', store: new MemoryIssuerStore(), formats, configurations, batchSize: 10, claims })
 * http.createServer(createNodeListener(issuer.handle, { origin: 'https://issuer.example' }))
 */
export function createIssuer(o: IssuerOptions): Issuer {
  const ctx = createIssuerContext(o)
  const wrap = (method: 'GET' | 'POST', h: (req: Request) => Promise<Response>) =>
    withOAuthErrors(
      async (req) => {
        if (req.method !== method)
          return jsonResponse({ error: 'invalid_request', error_description: 'method not allowed' }, 405, { allow: method })
        return h(req)
      },
      o.onError ? { onError: o.onError } : {},
    )
  const handlers = {
    issuerMetadata: wrap('GET', async (req) => {
      const sm = o.signedMetadata
      if (sm && (req.headers.get('accept') ?? '').includes('application/jwt')) {
        const jwt = await signIssuerMetadata(ctx.metadata, { ...sm, clock: ctx.clock })
        return new Response(jwt, { status: 200, headers: { 'content-type': 'application/jwt', 'cache-control': 'max-age=60' } })
      }
      return jsonResponse(ctx.metadata, 200, { 'cache-control': 'max-age=60' })
    }),
    asMetadata: wrap('GET', async () => jsonResponse(ctx.asMetadata, 200, { 'cache-control': 'max-age=60' })),
    offer: wrap('GET', async (req) => handleOfferByReference(ctx, new URL(req.url).pathname.slice(PATHS.offer.length + 1))),
    par: wrap('POST', (req) => handlePar(ctx, req)),
    authorize: wrap('GET', (req) => handleAuthorize(ctx, req)),
    token: wrap('POST', (req) => handleToken(ctx, req)),
    nonce: wrap('POST', () => handleNonce(ctx)),
    credential: wrap('POST', (req) => handleCredential(ctx, req)),
    deferred: wrap('POST', (req) => handleDeferred(ctx, req)),
    notification: wrap('POST', (req) => handleNotification(ctx, req)),
  }
  const base = new URL(o.issuer).pathname.replace(/\/$/, '')
  const routes = new Map<string, (req: Request) => Promise<Response>>()
  const builtInAs = new Set(['asMetadata', 'par', 'authorize', 'token'])
  for (const [k, p] of Object.entries(PATHS)) {
    if (o.externalAuthorizationServer && builtInAs.has(k)) continue
    const h = handlers[k as keyof typeof PATHS]
    // RFC 8414 §3 / OpenID4VCI §12.2.2: well-known paths go before the issuer's path.
    routes.set(p.startsWith('/.well-known/') ? p + base : base + p, h)
  }
  const handle = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname
    const h = routes.get(path) ?? (path.startsWith(`${base}${PATHS.offer}/`) ? handlers.offer : undefined)
    if (!h) return jsonResponse({ error: 'invalid_request', error_description: 'not found' }, 404)
    return h(req)
  }
  return {
    handle,
    handlers,
    metadata: ctx.metadata,
    asMetadata: ctx.asMetadata,
    createOffer: (x) => createOffer(ctx, x),
    context: ctx,
  }
}
