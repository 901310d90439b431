import type { StatusListRegistry } from './registry.js'
import { STATUS_LIST_CWT_MEDIA_TYPE } from './token-cwt.js'
import { STATUS_LIST_JWT_MEDIA_TYPE } from './token-jwt.js'

/**
 * Serve a registry's lists (Fetch API `Request` → `Response`, mountable anywhere): GET on a list URI
 * answers the JWT, or the CWT when the client accepts only `application/statuslist+cwt` (§8.1),
 * with Cache-Control from the token's ttl. Unknown lists answer 404.
 */
export function createStatusListHandler(registry: StatusListRegistry): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } })
    const url = new URL(req.url)
    const agg = registry.aggregationUri
    if (agg && new URL(agg).pathname === url.pathname) {
      return new Response(req.method === 'HEAD' ? null : JSON.stringify(registry.aggregation()), {
        headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${registry.ttlSeconds}` },
      })
    }
    const uri = registry.uris().find((u) => new URL(u).pathname === url.pathname)
    if (!uri) return new Response(null, { status: 404 })
    const accept = req.headers.get('accept') ?? ''
    const wantsCwt = accept.includes(STATUS_LIST_CWT_MEDIA_TYPE) && !accept.includes(STATUS_LIST_JWT_MEDIA_TYPE)
    const headers = { 'cache-control': `public, max-age=${registry.ttlSeconds}`, vary: 'accept' }
    if (wantsCwt) {
      const body = await registry.publishCwt(uri)
      return new Response(req.method === 'HEAD' ? null : body, {
        headers: { ...headers, 'content-type': STATUS_LIST_CWT_MEDIA_TYPE },
      })
    }
    const body = await registry.publishJwt(uri)
    return new Response(req.method === 'HEAD' ? null : body, {
      headers: { ...headers, 'content-type': STATUS_LIST_JWT_MEDIA_TYPE },
    })
  }
}
