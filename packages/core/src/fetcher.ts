import { Buffer } from 'node:buffer'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP } from 'node:net'
import { CoreError } from './errors.js'

/** A response read in full, within limits. */
export interface FetchResult {
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

export interface FetchRequest {
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string | Uint8Array
  /** Per-call override of the fetcher's maximum body size. */
  maxBytes?: number
}

/** The one way Bonafide reaches an attacker-chosen URL. Injected everywhere. */
export type Fetcher = (url: string, req?: FetchRequest) => Promise<FetchResult>

export interface SafeFetcherOptions {
  /** Allow `http:` URLs (tests and local development only). */
  allowHttp?: boolean
  /** Allow loopback addresses (tests only). Private ranges stay blocked. */
  allowLoopback?: boolean
  /** Allow every private, link-local and loopback address (never in production). */
  allowPrivate?: boolean
  /** Maximum response body in bytes (default 1 MiB). */
  maxBytes?: number
  /** Whole-request timeout in milliseconds (default 5000). */
  timeoutMs?: number
  /** Maximum redirects followed, each re-checked (default 0). */
  maxRedirects?: number
}

const PRIVATE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6')
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** Classify an IP literal: 'public', 'loopback' or 'private'. IPv4-mapped IPv6 is unwrapped. */
export function classifyAddress(address: string): 'public' | 'loopback' | 'private' {
  let addr = address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr)
  if (mapped?.[1]) addr = mapped[1]
  const family = isIP(addr)
  if (family === 0) return 'private'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (LOOPBACK.check(addr, type)) return 'loopback'
  if (PRIVATE.check(addr, type)) return 'private'
  return 'public'
}

function addressAllowed(address: string, o: SafeFetcherOptions): boolean {
  const c = classifyAddress(address)
  if (c === 'public') return true
  if (o.allowPrivate) return true
  return c === 'loopback' && o.allowLoopback === true
}

/**
 * A fetcher that refuses non-HTTPS URLs, private and loopback addresses (checked on the
 * resolved address at connect time, so DNS rebinding cannot slip through), oversize bodies
 * and slow responses.
 */
export function createSafeFetcher(options: SafeFetcherOptions = {}): Fetcher {
  const maxBytesDefault = options.maxBytes ?? 1 << 20
  const timeoutMs = options.timeoutMs ?? 5000
  const maxRedirects = options.maxRedirects ?? 0

  const lookup = (hostname: string, opts: object, cb: (...args: unknown[]) => void): void => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addrs: LookupAddress[]) => {
      if (err) return cb(err)
      const ok = addrs.filter((a) => addressAllowed(a.address, options))
      if (ok.length === 0 || ok.length !== addrs.length) {
        return cb(new CoreError('core.fetch_forbidden_address', 'host resolves to a forbidden address'))
      }
      if ((opts as { all?: boolean }).all) return cb(null, ok)
      const first = ok[0] as LookupAddress
      cb(null, first.address, first.family)
    })
  }

  const once = (url: URL, req: FetchRequest): Promise<FetchResult> => {
    const maxBytes = req.maxBytes ?? maxBytesDefault
    return new Promise<FetchResult>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http
      const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body) : req.body
      const r = mod.request(
        url,
        {
          method: req.method ?? 'GET',
          headers: { ...(req.headers ?? {}), ...(body ? { 'content-length': String(body.byteLength) } : {}) },
          lookup: lookup as never,
          timeout: timeoutMs,
        },
        (res) => {
          const declared = Number(res.headers['content-length'] ?? '0')
          if (declared > maxBytes) {
            res.destroy()
            return reject(new CoreError('core.fetch_too_large', 'response body too large'))
          }
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.byteLength
            if (size > maxBytes) {
              res.destroy()
              reject(new CoreError('core.fetch_too_large', 'response body too large'))
              return
            }
            chunks.push(c)
          })
          res.on('error', (cause) => reject(new CoreError('core.fetch_failed', 'response failed', { cause })))
          res.on('end', () => {
            const headers: Record<string, string> = {}
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
            const buf = Buffer.concat(chunks)
            resolve({
              url: url.toString(),
              status: res.statusCode ?? 0,
              headers,
              body: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
            })
          })
        },
      )
      const timer = setTimeout(() => {
        r.destroy(new CoreError('core.fetch_timeout', 'request timed out'))
      }, timeoutMs)
      r.on('close', () => clearTimeout(timer))
      r.on('timeout', () => r.destroy(new CoreError('core.fetch_timeout', 'request timed out')))
      r.on('error', (cause) =>
        reject(cause instanceof CoreError ? cause : new CoreError('core.fetch_failed', 'request failed', { cause })),
      )
      r.end(body)
    })
  }

  const check = (raw: string): URL => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new CoreError('core.fetch_forbidden_url', 'not a valid URL')
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) {
      throw new CoreError('core.fetch_forbidden_url', 'only https URLs may be fetched')
    }
    if (url.username || url.password) throw new CoreError('core.fetch_forbidden_url', 'URLs with credentials are refused')
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(host) !== 0 && !addressAllowed(host, options)) {
      throw new CoreError('core.fetch_forbidden_address', 'forbidden address')
    }
    return url
  }

  return async (raw, req = {}) => {
    let url = check(raw)
    for (let hop = 0; ; hop++) {
      const res = await once(url, req)
      const loc = res.headers.location
      if (res.status >= 300 && res.status < 400 && loc && hop < maxRedirects) {
        url = check(new URL(loc, url).toString())
        continue
      }
      return res
    }
  }
}

/** Require a 2xx status, else throw `core.fetch_status`. */
export function expectOk(res: FetchResult): FetchResult {
  if (res.status < 200 || res.status > 299) {
    throw new CoreError('core.fetch_status', `unexpected HTTP status ${res.status}`, { details: { status: res.status } })
  }
  return res
}
