import { gunzipSync, gzipSync } from 'node:zlib'
import { b64uDecode, b64uEncode, type Clock, epochSeconds, isJsonObject, type JsonObject, systemClock } from '@bonafide/core'
import { checkJwtTimes, parseCompactJws, signCompactJws, verifyJwsSignature } from '@bonafide/jose'
import type { Signer } from '@bonafide/keys'
import { StatusListError } from './errors.js'
import type { InflateLimits } from './status-list.js'
import { type StatusListTrust, trustedKeys, x5cChain } from './trust.js'

/** W3C Bitstring Status List v1.0 §2.1: lists hold at least 131,072 entries (herd privacy). */
export const MIN_BITSTRING_ENTRIES = 131_072
export type StatusPurpose = 'revocation' | 'suspension' | 'message' | (string & {})

/** A bitstring of `statusSize`-bit entries, most-significant bit first (§3.1). */
export class BitstringStatusList {
  readonly bytes: Uint8Array
  readonly statusSize: number

  constructor(bytes: Uint8Array, statusSize = 1) {
    if (!Number.isInteger(statusSize) || statusSize < 1 || statusSize > 8)
      throw new StatusListError('status_list.bits_invalid', 'statusSize must be 1..8')
    this.bytes = bytes
    this.statusSize = statusSize
  }

  static create(entries = MIN_BITSTRING_ENTRIES, statusSize = 1): BitstringStatusList {
    const n = Math.max(entries, MIN_BITSTRING_ENTRIES)
    return new BitstringStatusList(new Uint8Array(Math.ceil((n * statusSize) / 8)), statusSize)
  }

  get size(): number {
    return Math.floor((this.bytes.byteLength * 8) / this.statusSize)
  }

  get(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new StatusListError('status_list.index_out_of_range', 'index is outside the bitstring')
    let v = 0
    for (let b = index * this.statusSize, end = b + this.statusSize; b < end; b++) {
      v = (v << 1) | (((this.bytes[b >> 3] as number) >> (7 - (b & 7))) & 1)
    }
    return v
  }

  set(index: number, value: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new StatusListError('status_list.index_out_of_range', 'index is outside the bitstring')
    if (!Number.isInteger(value) || value < 0 || value >= 1 << this.statusSize)
      throw new StatusListError('status_list.value_out_of_range', 'value does not fit')
    for (let k = 0; k < this.statusSize; k++) {
      const b = index * this.statusSize + k
      const bit = (value >> (this.statusSize - 1 - k)) & 1
      const mask = 1 << (7 - (b & 7))
      this.bytes[b >> 3] = bit ? (this.bytes[b >> 3] as number) | mask : (this.bytes[b >> 3] as number) & ~mask
    }
  }

  /** GZIP, then multibase base64url (`u` prefix) (§3.1 generation). */
  encode(): string {
    return `u${b64uEncode(gzipSync(this.bytes, { level: 9 }))}`
  }

  /** Decode `encodedList` (also the StatusList2021 form without the multibase prefix), bounded. */
  static decode(encoded: string, statusSize = 1, limits: InflateLimits & { allowShort?: boolean } = {}): BitstringStatusList {
    if (typeof encoded !== 'string') throw new StatusListError('status_list.encoding_invalid', 'encodedList must be a string')
    const text = encoded.startsWith('u') ? encoded.slice(1) : encoded
    if (text.length > ((limits.maxCompressedBytes ?? 4 << 20) * 4) / 3 + 4)
      throw new StatusListError('status_list.compressed_too_large', 'encodedList too large')
    let raw: Uint8Array
    try {
      const gz = b64uDecode(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
      raw = gunzipSync(gz, { maxOutputLength: limits.maxInflatedBytes ?? 16 << 20 })
    } catch (cause) {
      const big = (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      throw new StatusListError(
        big ? 'status_list.inflated_too_large' : 'status_list.encoding_invalid',
        big ? 'bitstring too large' : 'encodedList is not GZIP base64url',
        { cause },
      )
    }
    const list = new BitstringStatusList(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), statusSize)
    if (!limits.allowShort && list.size < MIN_BITSTRING_ENTRIES)
      throw new StatusListError('status_list.encoding_invalid', 'bitstring shorter than 131,072 entries')
    return list
  }
}

export interface BitstringCredentialInput {
  list: BitstringStatusList
  /** The credential's URL (`id`, and what entries name in `statusListCredential`). */
  id: string
  issuer: string
  statusPurpose: StatusPurpose
  signer: Signer
  validForSeconds?: number
  /** Cache hint in milliseconds (`ttl` in the credentialSubject, §2.2). */
  ttl?: number
  header?: { kid?: string; x5c?: string[] }
  clock?: Clock
}

/** A BitstringStatusListCredential (VC Data Model 2.0) secured as `vc+jwt` (VC-JOSE-COSE §3.1.1). */
export async function createBitstringStatusListCredential(o: BitstringCredentialInput): Promise<string> {
  const now = epochSeconds(o.clock ?? systemClock)
  const vc: JsonObject = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: o.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: o.issuer,
    validFrom: new Date(now * 1000).toISOString(),
    ...(o.validForSeconds ? { validUntil: new Date((now + o.validForSeconds) * 1000).toISOString() } : {}),
    credentialSubject: {
      id: `${o.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: o.statusPurpose,
      encodedList: o.list.encode(),
      ...(o.ttl ? { ttl: o.ttl } : {}),
    },
    iss: o.issuer,
    iat: now,
    ...(o.validForSeconds ? { exp: now + o.validForSeconds } : {}),
  }
  return signCompactJws(
    {
      typ: 'vc+jwt',
      cty: 'vc',
      ...(o.header?.kid ? { kid: o.header.kid } : {}),
      ...(o.header?.x5c ? { x5c: o.header.x5c } : {}),
    },
    vc,
    o.signer,
  )
}

export interface VerifiedBitstringCredential {
  readonly id?: string
  readonly issuer: string
  readonly purposes: readonly string[]
  readonly encodedList: string
  readonly ttlMs?: number
  readonly validUntil?: number
}

function issuerId(v: unknown): string | undefined {
  return typeof v === 'string' ? v : isJsonObject(v) && typeof v.id === 'string' ? v.id : undefined
}

/** Verify a status list credential as JWT: vc+jwt (VCDM 2.0) or a `vc` claim (StatusList2021 as VC 1.1 JWT). */
export function verifyBitstringStatusListCredential(
  token: string,
  o: { trust?: StatusListTrust; clock?: Clock; skewSeconds?: number },
): VerifiedBitstringCredential {
  const jws = parseCompactJws(token, { maxLength: 8 << 20 })
  const now = epochSeconds(o.clock ?? systemClock)
  if (o.trust) {
    const keys = trustedKeys(o.trust, jws.header.kid, x5cChain(jws.header.x5c), now * 1000)
    if (!keys.some((k) => ok(() => verifyJwsSignature(jws, k))))
      throw new StatusListError('status_list.signature_invalid', 'status list credential signature does not verify')
  }
  const legacy = isJsonObject(jws.payload.vc)
  if (!legacy && jws.header.typ !== 'vc+jwt') throw new StatusListError('status_list.typ_invalid', 'typ must be vc+jwt')
  const vc = legacy ? (jws.payload.vc as JsonObject) : jws.payload
  const types = Array.isArray(vc.type) ? vc.type : [vc.type]
  if (!types.includes('BitstringStatusListCredential') && !types.includes('StatusList2021Credential')) {
    throw new StatusListError('status_list.token_invalid', 'not a BitstringStatusListCredential')
  }
  const issuer = issuerId(vc.issuer) ?? (typeof jws.payload.iss === 'string' ? jws.payload.iss : undefined)
  if (!issuer) throw new StatusListError('status_list.token_invalid', 'issuer is required')
  if (typeof jws.payload.iss === 'string' && jws.payload.iss !== issuer)
    throw new StatusListError('status_list.token_invalid', 'iss must equal issuer')
  try {
    checkJwtTimes(jws.payload, { now, skew: o.skewSeconds ?? 60 })
  } catch (cause) {
    throw new StatusListError('status_list.expired', 'status list credential is expired or not yet valid', { cause })
  }
  const validUntil = typeof vc.validUntil === 'string' ? Date.parse(vc.validUntil) / 1000 : undefined
  if (validUntil !== undefined && (Number.isNaN(validUntil) || now - (o.skewSeconds ?? 60) >= validUntil)) {
    throw new StatusListError('status_list.expired', 'status list credential is past validUntil')
  }
  const subject = vc.credentialSubject
  if (!isJsonObject(subject) || typeof subject.encodedList !== 'string')
    throw new StatusListError('status_list.token_invalid', 'credentialSubject.encodedList is required')
  const purposes = (Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose]).filter(
    (p): p is string => typeof p === 'string',
  )
  if (purposes.length === 0) throw new StatusListError('status_list.token_invalid', 'statusPurpose is required')
  return {
    ...(typeof vc.id === 'string' ? { id: vc.id } : {}),
    issuer,
    purposes,
    encodedList: subject.encodedList,
    ...(typeof subject.ttl === 'number' ? { ttlMs: subject.ttl } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
  }
}

function ok(f: () => void): boolean {
  try {
    f()
    return true
  } catch {
    return false
  }
}
