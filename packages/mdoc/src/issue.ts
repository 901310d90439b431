import * as nodeCrypto from 'node:crypto'
import { createHash } from 'node:crypto'
import {
  b64uEncode,
  type Clock,
  type JsonObject,
  type JsonValue,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { type CborValue, encodeCbor, HEADER, RawCbor, signCoseSign1, Tagged } from '@bonafide/cose'
import { jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { jwkToCoseKey } from './cose-key.js'
import { MdocError } from './errors.js'
import { tdate, toElementValue, toElementValues } from './values.js'

export type MdocDigestAlg = 'SHA-256' | 'SHA-384' | 'SHA-512'
const NODE_HASH: Record<MdocDigestAlg, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }

type OneShot = (alg: string, data: Uint8Array, enc: 'buffer') => Uint8Array
// crypto.hash (Node >= 20.12) hashes small inputs without creating a Hash object.
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash

export function mdocDigest(alg: MdocDigestAlg, bytes: Uint8Array): Uint8Array {
  return oneShot ? oneShot(NODE_HASH[alg], bytes, 'buffer') : new Uint8Array(createHash(NODE_HASH[alg]).update(bytes).digest())
}

/** Digest of #6.24(bstr) without building the encoding: tag head, bstr head, then the bytes. */
function taggedDigest(alg: MdocDigestAlg, bytes: Uint8Array): Uint8Array {
  const n = bytes.byteLength
  const head =
    n < 24
      ? [0xd8, 0x18, 0x40 | n]
      : n < 0x100
        ? [0xd8, 0x18, 0x58, n]
        : n < 0x10000
          ? [0xd8, 0x18, 0x59, n >> 8, n & 0xff]
          : [0xd8, 0x18, 0x5a, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
  return new Uint8Array(createHash(NODE_HASH[alg]).update(Uint8Array.from(head)).update(bytes).digest())
}

export interface MdocShared {
  signer: Signer
  /** Document signer certificate chain (DER, leaf first) for `x5chain` (label 33). */
  x5chain: readonly Uint8Array[]
  docType: string
  /**
   * `{ namespace: { elementIdentifier: value } }`; `YYYY-MM-DD` strings become full-date, and typed
   * values (`{ $bstr }`, `{ "$full-date" }`, `{ $tdate }`, `{ $tstr }`, see `TYPED_ELEMENT_MARKERS`)
   * exactly their CBOR type. Converted once, before anything is signed.
   */
  claims: Readonly<Record<string, JsonObject>>
  validForSeconds?: number
  expectedUpdateSeconds?: number
  digestAlg?: MdocDigestAlg
  /** Validity rounded down to this unit (default one day) so that copies cannot be linked by time. */
  roundSeconds?: number
  clock?: Clock
  random?: RandomSource
}

export interface MdocEntry {
  deviceKey: PublicJwk
  /** Token Status List reference (`{ status_list: { idx, uri } }`). */
  status?: JsonObject
}

function shuffledIds(n: number, random: RandomSource): number[] {
  // Digest IDs in random order, so the ID says nothing about the element (ISO 18013-5 §9.1.2.5).
  const ids = Array.from({ length: n }, (_, i) => i)
  const r = random.bytes(4 * n)
  for (let i = n - 1; i > 0; i--) {
    const j =
      (((r[4 * i] as number) << 24) |
        ((r[4 * i + 1] as number) << 16) |
        ((r[4 * i + 2] as number) << 8) |
        (r[4 * i + 3] as number)) >>>
      0
    const k = j % (i + 1)
    ;[ids[i], ids[k]] = [ids[k] as number, ids[i] as number]
  }
  return ids
}

async function issueOne(
  o: MdocShared,
  values: Record<string, Record<string, CborValue>>,
  e: MdocEntry,
  signedMs: number,
  random: RandomSource,
): Promise<Uint8Array> {
  const alg = o.digestAlg ?? 'SHA-256'
  const nameSpaces = new Map<CborValue, CborValue>()
  const valueDigests = new Map<CborValue, CborValue>()
  for (const [ns, elements] of Object.entries(values)) {
    const names = Object.keys(elements)
    const ids = shuffledIds(names.length, random)
    const randoms = random.bytes(16 * names.length) // one CSPRNG call per namespace
    const items: CborValue[] = []
    const digests = new Map<CborValue, CborValue>()
    for (const [i, name] of names.entries()) {
      const item = new Map<CborValue, CborValue>([
        ['digestID', ids[i] as number],
        ['random', randoms.subarray(16 * i, 16 * i + 16)],
        ['elementIdentifier', name],
        ['elementValue', elements[name] as CborValue],
      ])
      const itemBytes = encodeCbor(item)
      items.push(new Tagged(24, itemBytes))
      digests.set(ids[i] as number, taggedDigest(alg, itemBytes))
    }
    nameSpaces.set(ns, items)
    valueDigests.set(ns, digests)
  }
  const validity = new Map<CborValue, CborValue>([
    ['signed', tdate(signedMs)],
    ['validFrom', tdate(signedMs)],
    ['validUntil', tdate(signedMs + (o.validForSeconds ?? 365 * 86_400) * 1000)],
  ])
  if (o.expectedUpdateSeconds) validity.set('expectedUpdate', tdate(signedMs + o.expectedUpdateSeconds * 1000))
  const mso = new Map<CborValue, CborValue>([
    ['version', '1.0'],
    ['digestAlgorithm', alg],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', new Map<CborValue, CborValue>([['deviceKey', jwkToCoseKey(e.deviceKey)]])],
    ['docType', o.docType],
    ['validityInfo', validity],
  ])
  if (e.status) mso.set('status', toElementValue(e.status as JsonValue))
  const issuerAuth = await signCoseSign1({
    signer: o.signer,
    unprotectedHeader: new Map<CborValue, CborValue>([
      [HEADER.x5chain, o.x5chain.length === 1 ? (o.x5chain[0] as Uint8Array) : [...o.x5chain]],
    ]),
    payload: encodeCbor(new Tagged(24, encodeCbor(mso))),
    tagged: false,
  })
  return encodeCbor(
    new Map<CborValue, CborValue>([
      ['nameSpaces', nameSpaces],
      ['issuerAuth', new RawCbor(issuerAuth)],
    ]),
  )
}

export interface MdocBatchAudit {
  readonly batchId: string
  readonly issuedAt: number
  readonly count: number
  readonly docType: string
  readonly deviceKeyThumbprints: readonly string[]
  readonly statusReferences: readonly (JsonObject | undefined)[]
}

/**
 * Issue N mdocs (IssuerSigned, ISO 18013-5 §8.3.2.1.2.2) with the same data, each bound to its own
 * device key, with fresh randoms, shuffled digest IDs, its own status reference and validity rounded
 * to the day, so copies cannot be linked. Entries are validated before anything is signed.
 */
export async function issueMdocBatch(
  o: MdocShared & { entries: readonly MdocEntry[] },
): Promise<{ issuerSigned: Uint8Array[]; encoded: string[]; audit: MdocBatchAudit }> {
  if (!o.docType || typeof o.docType !== 'string') throw new MdocError('mdoc.structure_invalid', 'docType is required')
  if (o.x5chain.length === 0) throw new MdocError('mdoc.structure_invalid', 'x5chain is required')
  if (o.entries.length === 0) throw new MdocError('mdoc.batch_entry_invalid', 'a batch needs at least one entry')
  const seen = new Set<string>()
  const thumbprints = o.entries.map((e, i) => {
    const t = jwkThumbprint(e.deviceKey)
    if (seen.has(t))
      throw new MdocError('mdoc.batch_entry_invalid', `entry ${i}: device key repeats an earlier entry`, {
        details: { index: i },
      })
    seen.add(t)
    return t
  })
  // Typed element values are checked here, once, before anything is signed (and decoded once per batch).
  const values = toElementValues(o.claims)
  const random = o.random ?? systemRandom
  const now = (o.clock ?? systemClock).now()
  const unit = (o.roundSeconds ?? 86_400) * 1000
  const signedMs = Math.floor(now / unit) * unit
  const issuerSigned: Uint8Array[] = []
  for (const e of o.entries) issuerSigned.push(await issueOne(o, values, e, signedMs, random))
  return {
    issuerSigned,
    encoded: issuerSigned.map((b) => b64uEncode(b)),
    audit: {
      batchId: b64uEncode(random.bytes(16)),
      issuedAt: Math.floor(now / 1000),
      count: issuerSigned.length,
      docType: o.docType,
      deviceKeyThumbprints: thumbprints,
      statusReferences: o.entries.map((e) => e.status),
    },
  }
}

/** Issue one mdoc (IssuerSigned). */
export async function issueMdoc(o: MdocShared & MdocEntry): Promise<Uint8Array> {
  const { issuerSigned } = await issueMdocBatch({ ...o, roundSeconds: o.roundSeconds ?? 1, entries: [o] })
  return issuerSigned[0] as Uint8Array
}
