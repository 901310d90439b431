import { hasOwn, isJsonObject } from '@bonafide/core'
import { StatusListError } from './errors.js'

/** `status.status_list` of a Referenced Token (§6.1/6.2). */
export interface TokenStatusReference {
  readonly kind: 'token-status-list'
  readonly idx: number
  readonly uri: string
}

/** A W3C `credentialStatus` entry (BitstringStatusListEntry, or StatusList2021Entry read-compatibly). */
export interface BitstringStatusReference {
  readonly kind: 'bitstring'
  readonly legacy2021: boolean
  readonly statusPurpose: string
  readonly index: number
  readonly credential: string
  readonly statusSize: number
}

export type StatusReference = TokenStatusReference | BitstringStatusReference

function index(v: unknown): number {
  const n = typeof v === 'string' && /^(0|[1-9]\d{0,9})$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new StatusListError('status_list.reference_invalid', 'status index must be a non-negative integer')
  return n
}

function url(v: unknown): string {
  if (typeof v !== 'string') throw new StatusListError('status_list.reference_invalid', 'status list uri must be a string')
  try {
    new URL(v)
  } catch {
    throw new StatusListError('status_list.reference_invalid', 'status list uri is not a URI')
  }
  return v
}

/** Parse one status reference: the `status` claim object, or one W3C `credentialStatus` entry. */
export function parseStatusReference(v: unknown): StatusReference {
  if (!isJsonObject(v)) throw new StatusListError('status_list.reference_invalid', 'status reference must be an object')
  if (hasOwn(v, 'status_list')) {
    const sl = v.status_list
    if (!isJsonObject(sl)) throw new StatusListError('status_list.reference_invalid', 'status_list must be an object')
    return { kind: 'token-status-list', idx: index(sl.idx), uri: url(sl.uri) }
  }
  if (v.type === 'BitstringStatusListEntry' || v.type === 'StatusList2021Entry') {
    if (typeof v.statusPurpose !== 'string')
      throw new StatusListError('status_list.reference_invalid', 'statusPurpose is required')
    const size = v.statusSize === undefined ? 1 : v.statusSize
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 8)
      throw new StatusListError('status_list.reference_invalid', 'statusSize must be 1..8')
    if (v.statusPurpose === 'message' && size < 2)
      throw new StatusListError('status_list.reference_invalid', 'message entries need statusSize > 1')
    return {
      kind: 'bitstring',
      legacy2021: v.type === 'StatusList2021Entry',
      statusPurpose: v.statusPurpose,
      index: index(v.statusListIndex),
      credential: url(v.statusListCredential),
      statusSize: size,
    }
  }
  throw new StatusListError('status_list.reference_invalid', 'unknown status mechanism')
}
