import type { KeyObject } from 'node:crypto'
import { b64uEncode, bytesEqual, type Clock, type JsonObject, type JsonValue, systemClock } from '@bonafide/core'
import { type CborValue, decodeCbor, decodeCoseSign1, encodeCbor, Tagged, verifyCoseSign1, x5chainOf } from '@bonafide/cose'
import { createX5cValidator, type TrustAnchorInput, type X5cValidator } from '@bonafide/jose'
import type { PublicJwk } from '@bonafide/keys'
import { coseKeyToJwk } from './cose-key.js'
import { MdocError } from './errors.js'
import { type MdocDigestAlg, mdocDigest } from './issue.js'
import { readTdate, toJsonValue } from './values.js'

export interface VerifyIssuerSignedOptions {
  /** IACA roots the document signer chain must end at. */
  trustAnchors?: readonly TrustAnchorInput[]
  /** Or: static issuer keys (tests, closed ecosystems). */
  issuerKeys?: readonly (PublicJwk | KeyObject)[]
  /** The docType the verifier asked for. */
  docType?: string
  clock?: Clock
  skewSeconds?: number
}

export interface VerifiedIssuerSigned {
  readonly docType: string
  /** Disclosed elements per namespace, JSON-friendly (dates as strings, bytes as base64url). */
  readonly claims: Record<string, Record<string, JsonValue>>
  readonly deviceKey: PublicJwk
  readonly validity: { signed: string; validFrom: string; validUntil: string; expectedUpdate?: string }
  readonly status?: JsonValue
  readonly digestAlgorithm: MdocDigestAlg
  /** The document signer certificate (subject and PEM), when an x5chain was validated. */
  readonly issuerSubject?: string
  readonly issuerCertificate?: string
  /** Each item's `random` (base64url): distinct across copies of a batch. */
  readonly randoms: readonly string[]
}

const validators = new WeakMap<readonly TrustAnchorInput[], X5cValidator>()
const ALGS = new Set(['SHA-256', 'SHA-384', 'SHA-512'])

function map(v: unknown, what: string): Map<CborValue, CborValue> {
  if (!(v instanceof Map)) throw new MdocError('mdoc.structure_invalid', `${what} must be a map`)
  return v
}

function embedded(v: unknown, what: string): { bytes: Uint8Array; value: CborValue } {
  if (!(v instanceof Tagged) || v.tag !== 24 || !(v.value instanceof Uint8Array))
    throw new MdocError('mdoc.structure_invalid', `${what} must be tag-24 embedded CBOR`)
  return { bytes: v.value, value: decodeCbor(v.value, { maxDepth: 32 }) }
}

/**
 * Verify an IssuerSigned structure (ISO 18013-5 §9.3.1): the document signer chain to an IACA
 * anchor, the issuerAuth signature, docType, validity against the injected clock, and every
 * returned element's digest; unknown or duplicated digest IDs are rejected.
 */
export function verifyIssuerSigned(input: Uint8Array | CborValue, o: VerifyIssuerSignedOptions): VerifiedIssuerSigned {
  const root = map(input instanceof Uint8Array ? decodeCbor(input, { maxBytes: 1 << 20 }) : input, 'IssuerSigned')
  const sign1 = decodeCoseSign1(root.get('issuerAuth') as CborValue)
  const now = (o.clock ?? systemClock).now()
  let keys: readonly (PublicJwk | KeyObject)[]
  let issuerSubject: string | undefined
  let issuerCertificate: string | undefined
  const chain = x5chainOf(sign1)
  if (o.trustAnchors?.length) {
    if (!chain) throw new MdocError('mdoc.issuer_untrusted', 'issuerAuth carries no x5chain')
    let v = validators.get(o.trustAnchors)
    if (!v) validators.set(o.trustAnchors, (v = createX5cValidator(o.trustAnchors)))
    const r = v.validate(chain, now)
    keys = [r.leafKey]
    issuerSubject = r.leaf.subject
    issuerCertificate = r.leaf.toString()
  } else if (o.issuerKeys?.length) keys = o.issuerKeys
  else throw new MdocError('mdoc.issuer_untrusted', 'no trust anchors or issuer keys configured')
  let verified = false
  for (const k of keys) {
    try {
      verifyCoseSign1(sign1, k)
      verified = true
      break
    } catch {
      // next key
    }
  }
  if (!verified) throw new MdocError('mdoc.issuer_signature_invalid', 'issuerAuth signature does not verify')
  const mso = map(embedded(decodeCbor(sign1.payload as Uint8Array), 'MobileSecurityObjectBytes').value, 'MSO')
  const alg = mso.get('digestAlgorithm')
  if (typeof alg !== 'string' || !ALGS.has(alg)) throw new MdocError('mdoc.digest_alg_unsupported', 'unsupported digestAlgorithm')
  const docType = mso.get('docType')
  if (typeof docType !== 'string') throw new MdocError('mdoc.structure_invalid', 'docType is required')
  if (o.docType !== undefined && docType !== o.docType)
    throw new MdocError('mdoc.doctype_mismatch', 'docType is not the requested one')
  const validity = map(mso.get('validityInfo'), 'validityInfo')
  const vi: Record<string, string> = {}
  const times: Record<string, number> = {}
  for (const k of ['signed', 'validFrom', 'validUntil', 'expectedUpdate']) {
    if (!validity.has(k)) continue
    try {
      times[k] = readTdate(validity.get(k))
    } catch {
      throw new MdocError('mdoc.validity_invalid', `validityInfo.${k} is not a tdate`)
    }
    vi[k] = new Date(times[k] as number).toISOString()
  }
  if (times.signed === undefined || times.validFrom === undefined || times.validUntil === undefined)
    throw new MdocError('mdoc.validity_invalid', 'validityInfo is incomplete')
  const skew = (o.skewSeconds ?? 60) * 1000
  if (now + skew < times.validFrom) throw new MdocError('mdoc.not_yet_valid', 'the mdoc is not yet valid')
  if (now - skew > times.validUntil) throw new MdocError('mdoc.expired', 'the mdoc has expired')
  const deviceKey = coseKeyToJwk(map(mso.get('deviceKeyInfo'), 'deviceKeyInfo').get('deviceKey'))
  const valueDigests = map(mso.get('valueDigests'), 'valueDigests')
  const claims: Record<string, Record<string, JsonValue>> = {}
  const randoms: string[] = []
  const nameSpaces = root.get('nameSpaces') === undefined ? new Map() : map(root.get('nameSpaces'), 'nameSpaces')
  for (const [ns, items] of nameSpaces) {
    if (typeof ns !== 'string' || !Array.isArray(items))
      throw new MdocError('mdoc.structure_invalid', 'nameSpaces must map names to item arrays')
    const digests = valueDigests.get(ns)
    if (!(digests instanceof Map)) throw new MdocError('mdoc.digest_missing', 'no digests for this namespace')
    const seen = new Set<number>()
    const out: Record<string, JsonValue> = {}
    for (const raw of items) {
      const item = map(embedded(raw, 'IssuerSignedItemBytes').value, 'IssuerSignedItem')
      const id = item.get('digestID')
      const name = item.get('elementIdentifier')
      const random = item.get('random')
      if (typeof id !== 'number' || typeof name !== 'string' || !(random instanceof Uint8Array) || !item.has('elementValue')) {
        throw new MdocError('mdoc.structure_invalid', 'IssuerSignedItem is malformed')
      }
      if (seen.has(id)) throw new MdocError('mdoc.digest_duplicate', 'a digest ID appears twice')
      seen.add(id)
      const expected = digests.get(id)
      if (!(expected instanceof Uint8Array)) throw new MdocError('mdoc.digest_missing', 'no digest for this digest ID')
      // The digest is over the tag-24 item exactly as received (the decoder keeps its raw bytes).
      const itemBytes = (raw as Tagged).raw ?? encodeCbor(raw as Tagged)
      if (!bytesEqual(mdocDigest(alg as MdocDigestAlg, itemBytes), expected))
        throw new MdocError('mdoc.digest_mismatch', 'element digest does not match the MSO')
      Object.defineProperty(out, name, {
        value: toJsonValue(item.get('elementValue') as CborValue),
        enumerable: true,
        writable: true,
        configurable: true,
      })
      randoms.push(b64uEncode(random))
    }
    claims[ns] = out
  }
  const status = mso.get('status')
  const out: { -readonly [K in keyof VerifiedIssuerSigned]: VerifiedIssuerSigned[K] } = {
    docType,
    claims,
    deviceKey,
    validity: vi as VerifiedIssuerSigned['validity'],
    digestAlgorithm: alg as MdocDigestAlg,
    randoms,
  }
  if (status !== undefined) out.status = toJsonValue(status) as JsonObject
  if (issuerSubject) out.issuerSubject = issuerSubject
  if (issuerCertificate) out.issuerCertificate = issuerCertificate
  return out
}
