import { Buffer } from 'node:buffer'
import { epochSeconds, systemClock } from '@bonafide/core'
import {
  type CborValue,
  decodeCbor,
  decodeCoseSign1,
  encodeCbor,
  HEADER,
  signCoseSign1,
  verifyCoseSign1,
  x5chainOf,
} from '@bonafide/cose'
import { StatusListError } from './errors.js'
import { type Bits, type InflateLimits, isBits, StatusList } from './status-list.js'
import type { StatusListTokenInput, VerifiedStatusList, VerifyStatusListOptions } from './token-jwt.js'
import { trustedKeys } from './trust.js'

export const STATUS_LIST_CWT_MEDIA_TYPE = 'application/statuslist+cwt'
/** CWT claim keys (§5.2, RFC 8392). */
export const CWT = { sub: 2, exp: 4, iat: 6, statusList: 65533, ttl: 65534, status: 65535 } as const

/** The StatusList CBOR map (§4.3). */
export function statusListCbor(list: StatusList, aggregationUri?: string): Map<CborValue, CborValue> {
  const m = new Map<CborValue, CborValue>([
    ['bits', list.bits],
    ['lst', list.compress()],
  ])
  if (aggregationUri) m.set('aggregation_uri', aggregationUri)
  return m
}

export function parseStatusListCbor(v: unknown, limits?: InflateLimits): { list: StatusList; aggregationUri?: string } {
  if (!(v instanceof Map)) throw new StatusListError('status_list.token_invalid', 'status list must be a CBOR map')
  const bits = v.get('bits')
  const lst = v.get('lst')
  if (!isBits(bits) || !(lst instanceof Uint8Array))
    throw new StatusListError('status_list.token_invalid', 'status list must hold bits and lst')
  const agg = v.get('aggregation_uri')
  return { list: StatusList.decompress(lst, bits as Bits, limits), ...(typeof agg === 'string' ? { aggregationUri: agg } : {}) }
}

/** Create a Status List Token as CWT: COSE_Sign1_Tagged, typ in the protected header (§5.2). */
export async function createStatusListCwt(o: StatusListTokenInput): Promise<Uint8Array> {
  const iat = o.iat ?? epochSeconds(o.clock ?? systemClock)
  const claims = new Map<CborValue, CborValue>([
    [CWT.sub, o.uri],
    [CWT.iat, iat],
  ])
  if (o.validForSeconds !== undefined) claims.set(CWT.exp, iat + o.validForSeconds)
  if (o.ttl !== undefined) claims.set(CWT.ttl, o.ttl)
  claims.set(CWT.statusList, statusListCbor(o.list, o.aggregationUri))
  const unprotected = new Map<CborValue, CborValue>()
  if (o.header?.kid) unprotected.set(HEADER.kid, new TextEncoder().encode(o.header.kid))
  const prot = new Map<CborValue, CborValue>([[HEADER.typ, STATUS_LIST_CWT_MEDIA_TYPE]])
  if (o.header?.x5c)
    prot.set(
      HEADER.x5chain,
      o.header.x5c.map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
    )
  return signCoseSign1({ signer: o.signer, protectedHeader: prot, unprotectedHeader: unprotected, payload: encodeCbor(claims) })
}

function num(m: Map<CborValue, CborValue>, k: number): number | undefined {
  const v = m.get(k)
  if (v === undefined) return undefined
  if (typeof v !== 'number') throw new StatusListError('status_list.token_invalid', 'time claims must be integers')
  return v
}

/** Verify a Status List Token CWT (§5.2, §8.3). */
export function verifyStatusListCwt(bytes: Uint8Array, o: VerifyStatusListOptions): VerifiedStatusList {
  const s = decodeCoseSign1(bytes, { maxBytes: 8 << 20, requireTag: true })
  if (s.protectedHeader.get(HEADER.typ) !== STATUS_LIST_CWT_MEDIA_TYPE)
    throw new StatusListError('status_list.typ_invalid', 'typ must be application/statuslist+cwt')
  if (!s.payload) throw new StatusListError('status_list.token_invalid', 'CWT payload missing')
  const nowS = epochSeconds(o.clock ?? systemClock)
  if (o.trust) {
    const kidBytes = s.unprotectedHeader.get(HEADER.kid) ?? s.protectedHeader.get(HEADER.kid)
    const kid = kidBytes instanceof Uint8Array ? new TextDecoder().decode(kidBytes) : undefined
    const keys = trustedKeys(o.trust, kid, x5chainOf(s), nowS * 1000)
    if (!keys.some((k) => tryVerify(() => verifyCoseSign1(s, k))))
      throw new StatusListError('status_list.signature_invalid', 'status list signature does not verify')
  }
  const claims = decodeCbor(s.payload, { maxBytes: 8 << 20 })
  if (!(claims instanceof Map)) throw new StatusListError('status_list.token_invalid', 'CWT claims must be a map')
  const sub = claims.get(CWT.sub)
  const iat = num(claims, CWT.iat)
  const exp = num(claims, CWT.exp)
  const ttl = num(claims, CWT.ttl)
  if (typeof sub !== 'string' || iat === undefined)
    throw new StatusListError('status_list.token_invalid', 'sub and iat are required')
  if (o.expectedUri !== undefined && sub !== o.expectedUri)
    throw new StatusListError('status_list.sub_mismatch', 'sub does not equal the referenced uri')
  const skew = o.skewSeconds ?? 60
  if (exp !== undefined && nowS - skew >= exp) throw new StatusListError('status_list.expired', 'status list token is expired')
  if (ttl !== undefined && !(ttl > 0)) throw new StatusListError('status_list.token_invalid', 'ttl must be positive')
  const { list, aggregationUri } = parseStatusListCbor(claims.get(CWT.statusList), o.limits)
  return {
    format: 'cwt',
    list,
    sub,
    iat,
    ...(exp !== undefined ? { exp } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(aggregationUri ? { aggregationUri } : {}),
  }
}

function tryVerify(f: () => void): boolean {
  try {
    f()
    return true
  } catch {
    return false
  }
}
