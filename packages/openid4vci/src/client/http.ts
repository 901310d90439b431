import { type Fetcher, type FetchResult, isJsonObject, type JsonObject, OAuthError, parseJson, utf8Decode } from '@bonafide/core'
import { Openid4vciError } from '../errors.js'

export interface HttpReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly contentType: string
  readonly text: string
}

export async function send(
  fetcher: Fetcher,
  url: string,
  req: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<HttpReply> {
  const r: FetchResult = await fetcher(url, req)
  const contentType = (r.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return { status: r.status, headers: r.headers, contentType, text: utf8Decode(r.body) }
}

/** Parse a JSON object body; an error response becomes an OAuthError with the server's `error` code. */
export function jsonOf(r: HttpReply, okStatuses: readonly number[] = [200]): JsonObject {
  let v: unknown
  try {
    v = parseJson(r.text, { maxLength: 4 << 20 })
  } catch {
    v = undefined
  }
  if (!okStatuses.includes(r.status)) {
    const error = isJsonObject(v) && typeof v.error === 'string' && /^[\x20-\x7e]{1,64}$/.test(v.error) ? v.error : 'server_error'
    const description = isJsonObject(v) && typeof v.error_description === 'string' ? v.error_description.slice(0, 300) : undefined
    throw new OAuthError(error, description, { status: r.status, headers: { ...r.headers } })
  }
  if (!isJsonObject(v)) throw new Openid4vciError('openid4vci.response_invalid', 'response is not a JSON object')
  return v
}

export function formBody(params: Record<string, string | undefined>): string {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.set(k, v)
  return u.toString()
}
