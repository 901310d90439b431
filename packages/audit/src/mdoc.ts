import { b64uDecode, b64uEncode } from '@bonafide/core'
import { type CborValue, decodeCbor, decodeCoseSign1, Tagged } from '@bonafide/cose'
import { jwkThumbprint } from '@bonafide/keys'
import { coseKeyToJwk, readTdate, toJsonValue } from '@bonafide/mdoc'
import { type FingerprintDraft, tokenStatus } from './claims.js'
import { AUDIT_LIMITS } from './detect.js'
import { AuditError, invalidCopy } from './errors.js'
import type { Fingerprint } from './model.js'

type CborMap = Map<CborValue, CborValue>

/** A structural failure inside the walk; turned into `audit.credential_invalid` with the copy's index. */
function bad(what: string): never {
  throw new AuditError('audit.credential_invalid', what)
}

function map(v: unknown, what: string): CborMap {
  return v instanceof Map ? v : bad(`${what} must be a map`)
}

/** #6.24(bstr .cbor X), decoded (ISO 18013-5 §8.3.2.1.2.2 IssuerSignedItemBytes, MobileSecurityObjectBytes). */
function embedded(v: unknown, what: string): CborValue {
  if (!(v instanceof Tagged) || v.tag !== 24 || !(v.value instanceof Uint8Array)) bad(`${what} must be tag-24 embedded CBOR`)
  return decodeCbor(v.value, { maxDepth: 32 })
}

function bytesOf(copy: string | Uint8Array): Uint8Array {
  return copy instanceof Uint8Array ? copy : b64uDecode(copy.trim())
}

const VALIDITY = ['signed', 'validFrom', 'validUntil', 'expectedUpdate'] as const

/** ISO 18013-5 §9.1.2.4 ValidityInfo: tdates, as seconds. */
function validity(mso: CborMap): Fingerprint['timestamps'] {
  const vi = map(mso.get('validityInfo'), 'validityInfo')
  const out: { field: string; seconds: number }[] = []
  for (const k of VALIDITY) {
    if (!vi.has(k)) {
      if (k !== 'expectedUpdate') bad(`validityInfo.${k} is required`)
      continue
    }
    let ms: number
    try {
      ms = readTdate(vi.get(k))
    } catch {
      bad(`validityInfo.${k} is not a tdate`)
    }
    out.push({ field: `mso.validityInfo.${k}`, seconds: ms / 1000 })
  }
  return out
}

function valueDigests(mso: CborMap): Fingerprint['digests'] {
  const out: { field: string; value: string }[] = []
  for (const [ns, ids] of map(mso.get('valueDigests'), 'valueDigests')) {
    if (typeof ns !== 'string') bad('valueDigests must be keyed by namespace')
    for (const [id, d] of map(ids, 'DigestIDs')) {
      if (typeof id !== 'number' || !(d instanceof Uint8Array)) bad('DigestIDs map numbers to digests')
      out.push({ field: 'mso.valueDigests', value: b64uEncode(d) })
    }
  }
  return out
}

/** Each IssuerSignedItem's `random` (ISO 18013-5 §9.1.2.5): the mdoc counterpart of an SD-JWT salt. */
function randoms(root: CborMap): Fingerprint['salts'] {
  const out: { field: string; label: string; value: string }[] = []
  if (!root.has('nameSpaces')) return out
  for (const [ns, items] of map(root.get('nameSpaces'), 'nameSpaces')) {
    if (typeof ns !== 'string' || !Array.isArray(items)) bad('nameSpaces must map names to item arrays')
    for (const raw of items) {
      const item = map(embedded(raw, 'IssuerSignedItemBytes'), 'IssuerSignedItem')
      const name = item.get('elementIdentifier')
      const random = item.get('random')
      if (typeof item.get('digestID') !== 'number' || typeof name !== 'string' || !(random instanceof Uint8Array))
        bad('IssuerSignedItem is malformed')
      out.push({ field: 'IssuerSignedItem.random', label: name, value: b64uEncode(random) })
    }
  }
  return out
}

function parse(copy: string | Uint8Array, index: number): Fingerprint {
  const root = map(decodeCbor(bytesOf(copy), { maxBytes: AUDIT_LIMITS.maxCopyBytes }), 'IssuerSigned')
  const sign1 = decodeCoseSign1(root.get('issuerAuth') as CborValue)
  if (!(sign1.payload instanceof Uint8Array)) bad('issuerAuth carries no MSO')
  const mso = map(embedded(decodeCbor(sign1.payload), 'MobileSecurityObjectBytes'), 'MobileSecurityObject')
  const docType = mso.get('docType')
  if (typeof docType !== 'string' || docType.length === 0) bad('docType is required')
  const deviceKey = coseKeyToJwk(map(mso.get('deviceKeyInfo'), 'deviceKeyInfo').get('deviceKey'))
  const status = mso.get('status')
  return {
    format: 'mdoc',
    type: JSON.stringify([docType]),
    signed: b64uEncode(sign1.payload),
    timestamps: validity(mso),
    holderKey: { field: 'mso.deviceKeyInfo.deviceKey', kind: 'audit.same_device_key', value: jwkThumbprint(deviceKey) },
    salts: randoms(root),
    digests: valueDigests(mso),
    status: status === undefined ? [] : tokenStatus(toJsonValue(status), index, 'mso.status.status_list.idx'),
    identifiers: [],
  } satisfies FingerprintDraft
}

/** What one mdoc (IssuerSigned, base64url or bytes) exposes: validity, device key, randoms, digests, status. */
export function mdocFingerprint(copy: string | Uint8Array, index: number): Fingerprint {
  try {
    return parse(copy, index)
  } catch (cause) {
    throw invalidCopy(index, cause, 'not a well-formed mdoc IssuerSigned')
  }
}
