import { type Fetcher, parseJson, utf8Decode } from '@bonafide/core'
import type { DidDocument } from './did.js'
import { parseDidDocument } from './document.js'
import { DidError } from './errors.js'

/** Cap on a fetched DID document (did:web documents are small). */
export const DID_WEB_MAX_BYTES = 64 * 1024

// A DNS name (or IP literal) with at most one percent-encoded port (did:web §3.2.1, "Read").
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?:%3A[0-9]{1,5})?$/i
const SEGMENT = /^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+$/

/**
 * The HTTPS URL of a did:web document: `did:web:example.com` → `https://example.com/.well-known/did.json`,
 * `did:web:example.com%3A3000:user:alice` → `https://example.com:3000/user/alice/did.json`.
 */
export function didWebUrl(did: string): string {
  if (typeof did !== 'string' || did.length > 2048 || !did.startsWith('did:web:'))
    throw new DidError('did.invalid', 'not a did:web DID')
  const [host = '', ...path] = did.slice('did:web:'.length).split(':')
  if (!HOST.test(host) || host.includes('..')) throw new DidError('did.invalid', 'did:web needs a domain name')
  const port = /%3A([0-9]+)$/i.exec(host)?.[1]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    throw new DidError('did.invalid', 'did:web port out of range')
  for (const seg of path) {
    // Each path segment stays percent-encoded in the URL; dot segments and encoded slashes would escape the path.
    if (!SEGMENT.test(seg) || seg === '.' || seg === '..' || /%2F|%5C|%2E%2E/i.test(seg))
      throw new DidError('did.invalid', 'did:web path segment is invalid')
  }
  const authority = port === undefined ? host : `${host.slice(0, host.length - port.length - 3)}:${port}`
  const url = `https://${authority.toLowerCase()}/${path.length ? `${path.join('/')}/did.json` : '.well-known/did.json'}`
  try {
    return new URL(url).toString()
  } catch {
    throw new DidError('did.invalid', 'did:web does not form a URL')
  }
}

/** The did:web DID for an HTTPS URL (its origin, and path if any): the inverse of `didWebUrl`. */
export function createDidWeb(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new DidError('did.invalid', 'not a URL')
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.search || u.hash)
    throw new DidError('did.invalid', 'did:web needs a plain https URL')
  const path = u.pathname
    .replace(/\/(\.well-known\/)?did\.json$/, '')
    .split('/')
    .filter((s) => s.length > 0)
  const did = `did:web:${[u.hostname + (u.port ? `%3A${u.port}` : ''), ...path].join(':')}`
  didWebUrl(did) // refuse what cannot be resolved back
  return did
}

/**
 * Resolve a did:web DID (did:web method §3.2.1): GET the document through the injected fetcher (use the
 * safe fetcher: attacker-chosen host), size-limited, then parse it strictly (`id` must equal the DID).
 */
export async function resolveDidWeb(did: string, o: { fetcher: Fetcher }): Promise<DidDocument> {
  const url = didWebUrl(did)
  let text: string
  try {
    const res = await o.fetcher(url, {
      headers: { accept: 'application/did+json, application/json' },
      maxBytes: DID_WEB_MAX_BYTES,
    })
    if (res.status !== 200) throw new DidError('did.resolution_failed', `did:web answered HTTP ${res.status}`)
    text = utf8Decode(res.body)
  } catch (cause) {
    if (cause instanceof DidError) throw cause
    throw new DidError('did.resolution_failed', 'the did:web document could not be fetched', { cause })
  }
  let json: unknown
  try {
    json = parseJson(text, { maxLength: DID_WEB_MAX_BYTES })
  } catch (cause) {
    throw new DidError('did.document_invalid', 'the DID document is not JSON', { cause })
  }
  return parseDidDocument(json, did)
}
