import { OAuthError, VcError } from '@bonafide/core'

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

/** A JSON response with `Cache-Control: no-store` (RFC 6749 §5.1). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } })
}

/**
 * Map anything thrown by a handler to an OAuth error (RFC 6749 §5.2): OAuthError keeps its status;
 * VcError becomes 400 `invalid_request` with its message (which never echoes input); anything
 * else is a generic 500 `server_error` with no detail.
 */
export function toOAuthError(e: unknown, fallbackError = 'invalid_request'): OAuthError {
  if (e instanceof OAuthError) return e
  if (e instanceof VcError) return new OAuthError(fallbackError, e.message, { status: 400, cause: e })
  return new OAuthError('server_error', 'internal error', { status: 500, cause: e })
}

/** The JSON error response for an OAuth error, with its headers (`WWW-Authenticate`, `DPoP-Nonce`). */
export function oauthErrorResponse(e: unknown, fallbackError?: string): Response {
  const err = toOAuthError(e, fallbackError)
  return jsonResponse(err.toJSON(), err.status, { ...err.headers })
}

/**
 * Wrap a handler so that every throw becomes an OAuth error response.
 * @example const handler = withOAuthErrors(async (req) => jsonResponse({ ok: true }))
 */
export function withOAuthErrors(
  handler: (req: Request) => Promise<Response>,
  opts: { onError?: (e: unknown) => void; fallbackError?: string } = {},
): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      return await handler(req)
    } catch (e) {
      opts.onError?.(e)
      return oauthErrorResponse(e, opts.fallbackError)
    }
  }
}
