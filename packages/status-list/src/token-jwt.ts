import { b64uDecode, b64uEncode, type Clock, epochSeconds, isJsonObject, type JsonObject, systemClock } from '@bonafide/core'
import { checkJwtTimes, parseCompactJws, signCompactJws, verifyJwsSignature } from '@bonafide/jose'
import type { Signer } from '@bonafide/keys'
import { StatusListError } from './errors.js'
import { type Bits, type InflateLimits, isBits, StatusList } from './status-list.js'
import { type StatusListTrust, trustedKeys, x5cChain } from './trust.js'

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt'
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt'

export interface StatusListTokenInput {
  list: StatusList
  /** The list's URI: `sub`, equal to `status_list.uri` in referenced tokens. */
  uri: string
  signer: Signer
  iss?: string
  /** Seconds; default now. */
  iat?: number
  /** Lifetime in seconds from iat (sets `exp`). */
  validForSeconds?: number
  /** Cache time-to-live in seconds (§5.1 `ttl`). */
  ttl?: number
  aggregationUri?: string
  header?: { kid?: string; x5c?: string[] }
  clock?: Clock
}

/** The `status_list` claim in JSON form (§4.2). */
export function statusListJson(list: StatusList, aggregationUri?: string): JsonObject {
  return { bits: list.bits, lst: b64uEncode(list.compress()), ...(aggregationUri ? { aggregation_uri: aggregationUri } : {}) }
}

/** Create a Status List Token as JWT (§5.1). */
export async function createStatusListJwt(o: StatusListTokenInput): Promise<string> {
  const iat = o.iat ?? epochSeconds(o.clock ?? systemClock)
  const payload: JsonObject = {
    sub: o.uri,
    iat,
    ...(o.validForSeconds !== undefined ? { exp: iat + o.validForSeconds } : {}),
    ...(o.ttl !== undefined ? { ttl: o.ttl } : {}),
    ...(o.iss ? { iss: o.iss } : {}),
    status_list: statusListJson(o.list, o.aggregationUri),
  }
  return signCompactJws(
    {
      typ: STATUS_LIST_JWT_TYP,
      ...(o.header?.kid ? { kid: o.header.kid } : {}),
      ...(o.header?.x5c ? { x5c: o.header.x5c } : {}),
    },
    payload,
    o.signer,
  )
}

export interface VerifiedStatusList {
  readonly format: 'jwt' | 'cwt'
  readonly list: StatusList
  readonly sub: string
  readonly iat: number
  readonly exp?: number
  readonly ttl?: number
  readonly aggregationUri?: string
}

export interface VerifyStatusListOptions {
  /** The `uri` from the referenced token: `sub` must equal it (§8.3 step 4). */
  expectedUri?: string
  /** Omit only to decode without verifying (the CLI's `status decode`). */
  trust?: StatusListTrust
  clock?: Clock
  skewSeconds?: number
  limits?: InflateLimits
}

/** Parse the `status_list` JSON claim strictly. */
export function parseStatusListJson(v: unknown, limits?: InflateLimits): { list: StatusList; aggregationUri?: string } {
  if (!isJsonObject(v) || !isBits(v.bits) || typeof v.lst !== 'string') {
    throw new StatusListError('status_list.token_invalid', 'status_list must hold bits (1, 2, 4, 8) and lst')
  }
  let lst: Uint8Array
  try {
    lst = b64uDecode(v.lst)
  } catch {
    throw new StatusListError('status_list.encoding_invalid', 'lst is not base64url')
  }
  const list = StatusList.decompress(lst, v.bits as Bits, limits)
  return { list, ...(typeof v.aggregation_uri === 'string' ? { aggregationUri: v.aggregation_uri } : {}) }
}

/** Verify a Status List Token JWT: typ, signature and trust, sub = uri, iat, exp (§8.3). */
export function verifyStatusListJwt(token: string, o: VerifyStatusListOptions): VerifiedStatusList {
  const limits = o.limits
  const jws = parseCompactJws(token, { maxLength: 8 << 20 })
  if (jws.header.typ !== STATUS_LIST_JWT_TYP) throw new StatusListError('status_list.typ_invalid', 'typ must be statuslist+jwt')
  const now = epochSeconds(o.clock ?? systemClock)
  if (o.trust) {
    const keys = trustedKeys(o.trust, jws.header.kid, x5cChain(jws.header.x5c), now * 1000)
    let ok = false
    for (const k of keys) {
      try {
        verifyJwsSignature(jws, k)
        ok = true
        break
      } catch {
        // try the next trusted key
      }
    }
    if (!ok) throw new StatusListError('status_list.signature_invalid', 'status list signature does not verify')
  }
  const p = jws.payload
  if (typeof p.sub !== 'string') throw new StatusListError('status_list.token_invalid', 'sub is required')
  if (typeof p.iat !== 'number') throw new StatusListError('status_list.token_invalid', 'iat is required')
  if (o.expectedUri !== undefined && p.sub !== o.expectedUri)
    throw new StatusListError('status_list.sub_mismatch', 'sub does not equal the referenced uri')
  if (p.ttl !== undefined && (typeof p.ttl !== 'number' || !(p.ttl > 0)))
    throw new StatusListError('status_list.token_invalid', 'ttl must be a positive number')
  try {
    checkJwtTimes(p, { now, skew: o.skewSeconds ?? 60 })
  } catch (cause) {
    throw new StatusListError('status_list.expired', 'status list token is expired or not yet valid', { cause })
  }
  const { list, aggregationUri } = parseStatusListJson(p.status_list, limits)
  return {
    format: 'jwt',
    list,
    sub: p.sub,
    iat: p.iat,
    ...(typeof p.exp === 'number' ? { exp: p.exp } : {}),
    ...(typeof p.ttl === 'number' ? { ttl: p.ttl } : {}),
    ...(aggregationUri ? { aggregationUri } : {}),
  }
}
