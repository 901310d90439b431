import {
  type Clock,
  type CredentialStatusResult,
  type Fetcher,
  isVcError,
  type StatusCheckContext,
  type StatusChecker,
  systemClock,
  utf8Decode,
} from '@bonafide/core'
import { BitstringStatusList, verifyBitstringStatusListCredential } from './bitstring.js'
import { StatusListError } from './errors.js'
import { parseStatusReference, type StatusReference } from './reference.js'
import { type InflateLimits, STATUS, type StatusList } from './status-list.js'
import { STATUS_LIST_CWT_MEDIA_TYPE, verifyStatusListCwt } from './token-cwt.js'
import { STATUS_LIST_JWT_MEDIA_TYPE, verifyStatusListJwt } from './token-jwt.js'
import type { StatusListTrust } from './trust.js'

export interface StatusListCheckerOptions {
  fetcher: Fetcher
  /** Keys or anchors allowed to sign status lists (Token Status Lists and Bitstring credentials). */
  trust: StatusListTrust
  clock?: Clock
  limits?: InflateLimits
  /** Cache time when neither `ttl`, `exp` nor HTTP headers say (default 300 s). */
  defaultTtlSeconds?: number
  /** Upper bound on any cache time (default 1 day). */
  maxTtlSeconds?: number
  /** Accept Bitstring lists shorter than 131,072 entries (off: the spec's minimum is enforced). */
  allowShortBitstring?: boolean
}

type Loaded =
  | { kind: 'token'; list: StatusList }
  | { kind: 'bitstring'; encodedList: string; purposes: readonly string[]; decoded: Map<number, BitstringStatusList> }

interface CacheEntry {
  promise: Promise<Loaded>
  until: number
}

export interface StatusListChecker extends StatusChecker {
  /** How many lists were fetched (for tests and metrics). */
  readonly fetches: number
  clear(): void
}

function maxAge(headers: Readonly<Record<string, string>>): number | undefined {
  const cc = headers['cache-control'] ?? ''
  if (/no-store|no-cache/.test(cc)) return 0
  const m = /max-age=(\d+)/.exec(cc)
  return m ? Number(m[1]) : undefined
}

function tokenState(value: number): CredentialStatusResult['state'] {
  return value === STATUS.VALID
    ? 'valid'
    : value === STATUS.INVALID
      ? 'invalid'
      : value === STATUS.SUSPENDED
        ? 'suspended'
        : 'other'
}

/**
 * A status checker for Token Status Lists (JWT and CWT) and W3C Bitstring Status Lists.
 * Lists are fetched through the injected (safe) fetcher, verified, and cached by `ttl`/`exp`/HTTP
 * caching headers; concurrent checks share one fetch. A list that cannot be fetched or verified
 * gives `undetermined` with the reason; an index outside the list is an error of the credential.
 */
export function createStatusListChecker(o: StatusListCheckerOptions): StatusListChecker {
  const clock = o.clock ?? systemClock
  const cache = new Map<string, CacheEntry>()
  let fetches = 0
  const cap = (s: number) => Math.min(Math.max(s, 0), o.maxTtlSeconds ?? 86_400)

  const load = async (uri: string, ref: StatusReference): Promise<{ loaded: Loaded; ttl: number }> => {
    fetches++
    const accept =
      ref.kind === 'token-status-list'
        ? `${STATUS_LIST_JWT_MEDIA_TYPE}, ${STATUS_LIST_CWT_MEDIA_TYPE}`
        : 'application/vc+jwt, application/jwt'
    const res = await o.fetcher(uri, { headers: { accept }, maxBytes: o.limits?.maxCompressedBytes ?? 4 << 20 })
    if (res.status !== 200) throw new StatusListError('status_list.fetch_failed', `status list answered HTTP ${res.status}`)
    const nowS = clock.now() / 1000
    const http = maxAge(res.headers)
    if (ref.kind === 'token-status-list') {
      const ct = (res.headers['content-type'] ?? '').split(';')[0]?.trim()
      const v =
        ct === STATUS_LIST_CWT_MEDIA_TYPE
          ? verifyStatusListCwt(res.body, { expectedUri: uri, trust: o.trust, clock, ...(o.limits ? { limits: o.limits } : {}) })
          : verifyStatusListJwt(utf8Decode(res.body).trim(), {
              expectedUri: uri,
              trust: o.trust,
              clock,
              ...(o.limits ? { limits: o.limits } : {}),
            })
      let ttl = v.ttl ?? http ?? o.defaultTtlSeconds ?? 300
      if (http !== undefined) ttl = Math.min(ttl, http)
      if (v.exp !== undefined) ttl = Math.min(ttl, v.exp - nowS)
      return { loaded: { kind: 'token', list: v.list }, ttl: cap(ttl) }
    }
    const v = verifyBitstringStatusListCredential(utf8Decode(res.body).trim(), { trust: o.trust, clock })
    if (v.id !== undefined && v.id !== uri)
      throw new StatusListError('status_list.sub_mismatch', 'credential id does not equal statusListCredential')
    let ttl = v.ttlMs !== undefined ? v.ttlMs / 1000 : (http ?? o.defaultTtlSeconds ?? 300)
    if (http !== undefined) ttl = Math.min(ttl, http)
    if (v.validUntil !== undefined) ttl = Math.min(ttl, v.validUntil - nowS)
    return { loaded: { kind: 'bitstring', encodedList: v.encodedList, purposes: v.purposes, decoded: new Map() }, ttl: cap(ttl) }
  }

  const get = (uri: string, ref: StatusReference): Promise<Loaded> => {
    const hit = cache.get(uri)
    if (hit && hit.until > clock.now()) return hit.promise
    const entry: CacheEntry = { promise: Promise.resolve() as unknown as Promise<Loaded>, until: Number.POSITIVE_INFINITY }
    entry.promise = load(uri, ref).then(
      ({ loaded, ttl }) => {
        entry.until = clock.now() + ttl * 1000
        return loaded
      },
      (e) => {
        cache.delete(uri) // failures are not cached
        throw e
      },
    )
    cache.set(uri, entry)
    return entry.promise
  }

  const checkOne = async (reference: unknown): Promise<CredentialStatusResult> => {
    const ref = parseStatusReference(reference)
    const uri = ref.kind === 'token-status-list' ? ref.uri : ref.credential
    const index = ref.kind === 'token-status-list' ? ref.idx : ref.index
    let loaded: Loaded
    try {
      loaded = await get(uri, ref)
    } catch (e) {
      return { state: 'undetermined', reason: isVcError(e) ? e.code : 'status_list.fetch_failed', uri, index }
    }
    if (loaded.kind === 'token') {
      const value = loaded.list.get(index)
      return { state: tokenState(value), value, uri, index }
    }
    if (ref.kind !== 'bitstring') throw new StatusListError('status_list.reference_invalid', 'reference and list kinds differ')
    if (!loaded.purposes.includes(ref.statusPurpose))
      throw new StatusListError('status_list.purpose_mismatch', 'statusPurpose of entry and list differ')
    let bits = loaded.decoded.get(ref.statusSize)
    if (!bits) {
      try {
        bits = BitstringStatusList.decode(loaded.encodedList, ref.statusSize, {
          ...o.limits,
          allowShort: o.allowShortBitstring === true,
        })
      } catch (e) {
        return { state: 'undetermined', reason: isVcError(e) ? e.code : 'status_list.encoding_invalid', uri, index }
      }
      loaded.decoded.set(ref.statusSize, bits)
    }
    const value = bits.get(index)
    const state: CredentialStatusResult['state'] =
      ref.statusPurpose === 'revocation'
        ? value
          ? 'invalid'
          : 'valid'
        : ref.statusPurpose === 'suspension'
          ? value
            ? 'suspended'
            : 'valid'
          : 'other'
    return { state, value, uri, index }
  }

  return {
    get fetches() {
      return fetches
    },
    clear: () => cache.clear(),
    async check(reference: unknown, _ctx: StatusCheckContext): Promise<CredentialStatusResult> {
      // A credentialStatus may be an array of entries (revocation + suspension): the worst wins.
      if (Array.isArray(reference)) {
        const results = await Promise.all(reference.map(checkOne))
        const rank = { invalid: 4, suspended: 3, undetermined: 2, other: 1, valid: 0 } as const
        return results.reduce((a, b) => (rank[b.state] > rank[a.state] ? b : a))
      }
      return checkOne(reference)
    },
  }
}
