/** The agent's REST API from the browser: the API key lives in sessionStorage for this browser session only. */
const KEY = 'bonafide.apiKey'

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (k: string): void => sessionStorage.setItem(KEY, k),
  clear: (): void => sessionStorage.removeItem(KEY),
}

/** An RFC 9457 problem (or an OAuth-style error) from the agent, as the console shows it. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly errors: unknown[]
  constructor(status: number, code: string, title: string, detail: string, errors: unknown[] = []) {
    super(detail || title)
    this.status = status
    this.code = code
    this.title = title
    this.detail = detail
    this.errors = errors
  }
}

type Json = Record<string, unknown>

export async function api<T = Json>(path: string, body?: unknown, method?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const key = apiKey.get()
  if (key) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const r = await fetch(path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await r.text()
  let data: Json = {}
  try {
    data = text ? (JSON.parse(text) as Json) : {}
  } catch {
    data = { detail: text.slice(0, 300) }
  }
  if (!r.ok) {
    const s = (v: unknown) => (typeof v === 'string' ? v : '')
    throw new ApiError(
      r.status,
      s(data.code) || s(data.error) || `http_${r.status}`,
      s(data.title) || s(data.error) || r.statusText,
      s(data.detail) || s(data.error_description),
      Array.isArray(data.errors) ? data.errors : [],
    )
  }
  return data as T
}

export interface StreamEvent {
  id: string
  event: string
  data: Json
}

/**
 * Read a text/event-stream with the API key (EventSource cannot send headers), until `signal` aborts.
 * Reconnects with Last-Event-ID after a dropped connection.
 */
export async function stream(path: string, onEvent: (e: StreamEvent) => void, signal: AbortSignal): Promise<void> {
  let last = ''
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${apiKey.get() ?? ''}` }
      if (last) headers['last-event-id'] = last
      const r = await fetch(path, { headers, signal })
      if (!r.ok || !r.body) throw new Error(`stream ${r.status}`)
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader()
      let buf = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buf += value
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const e = parseBlock(buf.slice(0, i))
          buf = buf.slice(i + 2)
          if (e) {
            last = e.id
            onEvent(e)
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return
      console.warn('event stream dropped, reconnecting', e)
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
}

function parseBlock(block: string): StreamEvent | undefined {
  const f: Record<string, string> = {}
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue
    const c = line.indexOf(':')
    f[line.slice(0, c)] = line.slice(c + 1).trim()
  }
  if (!f.event || !f.data) return undefined
  try {
    return { id: f.id ?? '', event: f.event, data: JSON.parse(f.data) as Json }
  } catch {
    return undefined
  }
}
