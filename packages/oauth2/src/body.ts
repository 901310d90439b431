import { isJsonObject, type JsonObject, OAuthError } from '@bonafide/core'

/** Default cap on request bodies (64 KiB): OAuth and OpenID4VCI requests are small. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

/** Read a body with a hard size limit, without trusting Content-Length. */
export async function readBodyText(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const declared = req.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes)
    throw new OAuthError('invalid_request', 'request body too large', { status: 413 })
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new OAuthError('invalid_request', 'request body too large', { status: 413 })
    }
    chunks.push(value)
  }
  const all = new Uint8Array(total)
  let o = 0
  for (const c of chunks) {
    all.set(c, o)
    o += c.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all)
  } catch {
    throw new OAuthError('invalid_request', 'request body is not UTF-8')
  }
}

function mediaType(req: Request): string {
  return (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/**
 * Parse an `application/x-www-form-urlencoded` body strictly (RFC 6749 §3.2: parameters MUST NOT
 * be repeated; empty values count as absent).
 */
export async function readFormBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Record<string, string>> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded')
    throw new OAuthError('invalid_request', 'content type must be application/x-www-form-urlencoded')
  return parseForm(await readBodyText(req, maxBytes))
}

/** Parse form-urlencoded text; repeated parameters are refused. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in out) throw new OAuthError('invalid_request', 'repeated request parameter')
    if (v !== '') out[k] = v
  }
  return out
}

/** Parse an `application/json` body strictly: size limit, a JSON object, bounded depth. */
export async function readJsonBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<JsonObject> {
  if (mediaType(req) !== 'application/json') throw new OAuthError('invalid_request', 'content type must be application/json')
  const text = await readBodyText(req, maxBytes)
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new OAuthError('invalid_request', 'request body is not JSON')
  }
  if (!isJsonObject(v)) throw new OAuthError('invalid_request', 'request body must be a JSON object')
  if (depth(v, 0) > 32) throw new OAuthError('invalid_request', 'request body is nested too deeply')
  return v
}

function depth(v: unknown, d: number): number {
  if (d > 32) return d
  if (Array.isArray(v)) return v.reduce<number>((m, x) => Math.max(m, depth(x, d + 1)), d + 1)
  if (isJsonObject(v)) return Object.values(v).reduce<number>((m, x) => Math.max(m, depth(x, d + 1)), d + 1)
  return d
}
