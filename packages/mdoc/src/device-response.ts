import type { KeyObject } from 'node:crypto'
import { b64uEncode, type JsonValue } from '@bonafide/core'
import { type CborValue, decodeCbor, decodeCoseSign1, encodeCbor, signCoseSign1, Tagged, verifyCoseSign1 } from '@bonafide/cose'
import type { PublicJwk, Signer } from '@bonafide/keys'
import { eMacKey, verifyDeviceMac } from './device-mac.js'
import { MdocError } from './errors.js'
import { type VerifiedIssuerSigned, type VerifyIssuerSignedOptions, verifyIssuerSigned } from './verify.js'

/** DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]) (ISO 18013-5 §9.1.3.4). */
export function deviceAuthenticationBytes(
  sessionTranscript: CborValue,
  docType: string,
  deviceNameSpacesBytes: Tagged,
): Uint8Array {
  return encodeCbor(new Tagged(24, encodeCbor(['DeviceAuthentication', sessionTranscript, docType, deviceNameSpacesBytes])))
}

export interface PresentMdocOptions {
  /** The holder's IssuerSigned as issued. */
  issuerSigned: Uint8Array
  /** Elements to disclose per namespace. */
  disclose: Readonly<Record<string, readonly string[]>>
  deviceSigner: Signer
  sessionTranscript: CborValue
}

function asMap(v: unknown, what: string): Map<CborValue, CborValue> {
  if (!(v instanceof Map)) throw new MdocError('mdoc.structure_invalid', `${what} must be a map`)
  return v
}

/**
 * Build a DeviceResponse (ISO 18013-5 §8.3.2.1.2.2) for one document: IssuerSigned restricted to the
 * requested elements, empty device namespaces, and a detached device signature over DeviceAuthenticationBytes.
 */
export async function presentMdoc(o: PresentMdocOptions): Promise<Uint8Array> {
  const issuerSigned = asMap(decodeCbor(o.issuerSigned), 'IssuerSigned')
  const auth = issuerSigned.get('issuerAuth') as CborValue
  const mso = asMap(decodeCbor((decodeCbor(decodeCoseSign1(auth).payload as Uint8Array) as Tagged).value as Uint8Array), 'MSO')
  const docType = mso.get('docType') as string
  const all = asMap(issuerSigned.get('nameSpaces'), 'nameSpaces')
  const nameSpaces = new Map<CborValue, CborValue>()
  for (const [ns, elements] of Object.entries(o.disclose)) {
    const items = all.get(ns)
    if (!Array.isArray(items)) throw new MdocError('mdoc.element_missing', 'namespace not in the credential')
    const kept = items.filter((it) =>
      elements.includes(
        (decodeCbor((it as Tagged).value as Uint8Array) as Map<CborValue, CborValue>).get('elementIdentifier') as string,
      ),
    )
    if (kept.length !== elements.length)
      throw new MdocError('mdoc.element_missing', 'a requested element is not in the credential')
    nameSpaces.set(ns, kept)
  }
  const deviceNameSpacesBytes = new Tagged(24, encodeCbor(new Map()))
  const deviceSignature = decodeCbor(
    await signCoseSign1({
      signer: o.deviceSigner,
      payload: deviceAuthenticationBytes(o.sessionTranscript, docType, deviceNameSpacesBytes),
      detached: true,
      tagged: false,
    }),
  )
  const document = new Map<CborValue, CborValue>([
    ['docType', docType],
    [
      'issuerSigned',
      new Map<CborValue, CborValue>([
        ['nameSpaces', nameSpaces],
        ['issuerAuth', auth],
      ]),
    ],
    [
      'deviceSigned',
      new Map<CborValue, CborValue>([
        ['nameSpaces', deviceNameSpacesBytes],
        ['deviceAuth', new Map<CborValue, CborValue>([['deviceSignature', deviceSignature]])],
      ]),
    ],
  ])
  return encodeCbor(
    new Map<CborValue, CborValue>([
      ['version', '1.0'],
      ['documents', [document]],
      ['status', 0],
    ]),
  )
}

export interface VerifiedDocument extends VerifiedIssuerSigned {
  readonly deviceSigned: Record<string, Record<string, JsonValue>>
}

export interface VerifyDeviceResponseOptions extends VerifyIssuerSignedOptions {
  /** The SessionTranscript the verifier computed itself (never taken from the response). */
  sessionTranscript: CborValue
  /** The reader's ephemeral private key, to verify deviceMac (ISO 18013-5 §9.1.3.5). */
  readerPrivateKey?: KeyObject
}

/**
 * Verify a DeviceResponse: per document, the IssuerSigned checks, then the device signature with
 * the MSO's device key over DeviceAuthenticationBytes built from the verifier's own SessionTranscript.
 */
export function verifyDeviceResponse(
  bytes: Uint8Array,
  o: VerifyDeviceResponseOptions,
): { status: number; documents: VerifiedDocument[] } {
  const dr = asMap(decodeCbor(bytes, { maxBytes: 4 << 20 }), 'DeviceResponse')
  if (dr.get('version') !== '1.0' && !(typeof dr.get('version') === 'string' && String(dr.get('version')).startsWith('1.'))) {
    throw new MdocError('mdoc.structure_invalid', 'unsupported DeviceResponse version')
  }
  const status = dr.get('status')
  if (typeof status !== 'number') throw new MdocError('mdoc.structure_invalid', 'status is required')
  const docs = dr.get('documents') ?? []
  if (!Array.isArray(docs)) throw new MdocError('mdoc.structure_invalid', 'documents must be an array')
  const documents = docs.map((d) => {
    const doc = asMap(d, 'Document')
    const docType = doc.get('docType')
    if (typeof docType !== 'string') throw new MdocError('mdoc.structure_invalid', 'docType is required')
    const issued = verifyIssuerSigned(doc.get('issuerSigned') as CborValue, o)
    if (issued.docType !== docType) throw new MdocError('mdoc.doctype_mismatch', 'document docType differs from the MSO docType')
    const deviceSigned = asMap(doc.get('deviceSigned'), 'DeviceSigned')
    const dns = deviceSigned.get('nameSpaces')
    if (!(dns instanceof Tagged) || dns.tag !== 24 || !(dns.value instanceof Uint8Array))
      throw new MdocError('mdoc.structure_invalid', 'DeviceNameSpacesBytes must be tag 24')
    const deviceAuth = asMap(deviceSigned.get('deviceAuth'), 'DeviceAuth')
    const sig = deviceAuth.get('deviceSignature')
    const mac = deviceAuth.get('deviceMac')
    const dab = deviceAuthenticationBytes(o.sessionTranscript, docType, dns)
    if ((sig === undefined) === (mac === undefined)) {
      throw new MdocError('mdoc.structure_invalid', 'deviceAuth needs exactly one of deviceSignature and deviceMac')
    }
    if (sig !== undefined) {
      try {
        verifyCoseSign1(decodeCoseSign1(sig), issued.deviceKey as PublicJwk | KeyObject, { detachedPayload: dab })
      } catch (cause) {
        throw new MdocError('mdoc.device_signature_invalid', 'device signature does not verify over this session transcript', {
          cause,
        })
      }
    } else {
      if (!o.readerPrivateKey) throw new MdocError('mdoc.device_auth_unsupported', 'deviceMac needs the reader private key')
      verifyDeviceMac(mac, eMacKey(o.readerPrivateKey, issued.deviceKey, o.sessionTranscript), dab)
    }
    const deviceValues = asMap(decodeCbor(dns.value), 'DeviceNameSpaces')
    const deviceSignedClaims: Record<string, Record<string, JsonValue>> = {}
    for (const [ns, els] of deviceValues) {
      const out: Record<string, JsonValue> = {}
      for (const [k, v] of asMap(els, 'DeviceSignedItems'))
        out[String(k)] = v instanceof Uint8Array ? b64uEncode(v) : (v as JsonValue)
      deviceSignedClaims[String(ns)] = out
    }
    // `issued` is ours and fresh: add the member rather than spread it into a copy (spread-then-add is slow in V8).
    const document = issued as VerifiedIssuerSigned & { deviceSigned?: VerifiedDocument['deviceSigned'] }
    document.deviceSigned = deviceSignedClaims
    return document as VerifiedDocument
  })
  return { status, documents }
}
