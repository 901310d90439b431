import type { KeyObject } from 'node:crypto'
import { ALG_INFO, type JwsAlg, type PublicJwk, type Signer, signWith, verifySignature } from '@bonafide/keys'
import { type CborValue, type DecodeOptions, decodeCbor, Tagged } from './cbor.js'
import { encodeCbor } from './cbor-encode.js'
import { CoseError } from './errors.js'

/** COSE header labels (RFC 9052 §3.1, RFC 9360). */
export const HEADER = { alg: 1, crit: 2, contentType: 3, kid: 4, typ: 16, x5chain: 33 } as const
export const COSE_SIGN1_TAG = 18

const COSE_TO_JWS = new Map<number, JwsAlg>(Object.entries(ALG_INFO).map(([alg, i]) => [i.cose, alg as JwsAlg]))

export function coseAlgOf(alg: JwsAlg): number {
  return ALG_INFO[alg].cose
}

export interface CoseSign1 {
  readonly protectedBytes: Uint8Array
  readonly protectedHeader: Map<CborValue, CborValue>
  readonly unprotectedHeader: Map<CborValue, CborValue>
  /** null when detached. */
  readonly payload: Uint8Array | null
  readonly signature: Uint8Array
  readonly alg: JwsAlg
}

export interface SignCoseSign1Options {
  signer: Signer
  /** Protected header members; `alg` (1) is set from the signer. */
  protectedHeader?: Map<CborValue, CborValue>
  unprotectedHeader?: Map<CborValue, CborValue>
  payload: Uint8Array
  /** Leave the payload out of the structure (nil), as mdoc device signatures do. */
  detached?: boolean
  externalAad?: Uint8Array
  /** Wrap in tag 18 (default true). */
  tagged?: boolean
}

function sigStructure(protectedBytes: Uint8Array, externalAad: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, externalAad, payload])
}

/** Create a COSE_Sign1 (RFC 9052 §4.2) over a Signer. */
export async function signCoseSign1(o: SignCoseSign1Options): Promise<Uint8Array> {
  const prot = new Map<CborValue, CborValue>([[HEADER.alg, coseAlgOf(o.signer.alg)]])
  for (const [k, v] of o.protectedHeader ?? []) if (k !== HEADER.alg) prot.set(k, v)
  const protectedBytes = encodeCbor(prot)
  const signature = await signWith(o.signer, sigStructure(protectedBytes, o.externalAad ?? new Uint8Array(0), o.payload))
  const arr: CborValue[] = [protectedBytes, o.unprotectedHeader ?? new Map(), o.detached ? null : o.payload, signature]
  return encodeCbor(o.tagged === false ? arr : new Tagged(COSE_SIGN1_TAG, arr))
}

/** Parse a COSE_Sign1 (tagged 18 or untagged) strictly; does not verify. */
export function decodeCoseSign1(input: Uint8Array | CborValue, opts?: DecodeOptions & { requireTag?: boolean }): CoseSign1 {
  let v = input instanceof Uint8Array ? decodeCbor(input, opts) : input
  if (v instanceof Tagged) {
    if (v.tag !== COSE_SIGN1_TAG) throw new CoseError('cose.structure_invalid', 'not a COSE_Sign1 tag')
    v = v.value
  } else if (opts?.requireTag) throw new CoseError('cose.structure_invalid', 'COSE_Sign1 must be tagged (18)')
  if (!Array.isArray(v) || v.length !== 4) throw new CoseError('cose.structure_invalid', 'COSE_Sign1 is an array of 4')
  const [p, u, payload, signature] = v
  if (
    !(p instanceof Uint8Array) ||
    !(u instanceof Map) ||
    !(payload === null || payload instanceof Uint8Array) ||
    !(signature instanceof Uint8Array)
  ) {
    throw new CoseError('cose.structure_invalid', 'COSE_Sign1 members have the wrong types')
  }
  const protectedHeader = p.byteLength === 0 ? new Map() : decodeCbor(p)
  if (!(protectedHeader instanceof Map)) throw new CoseError('cose.structure_invalid', 'protected header must be a map')
  for (const k of u.keys()) {
    if (protectedHeader.has(k)) throw new CoseError('cose.structure_invalid', 'a header label appears in both buckets')
  }
  if (protectedHeader.has(HEADER.crit))
    throw new CoseError('cose.structure_invalid', 'critical header parameters are not supported')
  const algId = protectedHeader.get(HEADER.alg)
  const alg = typeof algId === 'number' ? COSE_TO_JWS.get(algId) : undefined
  if (!alg) throw new CoseError('cose.alg_unsupported', 'unsupported or missing COSE alg')
  return { protectedBytes: p, protectedHeader, unprotectedHeader: u, payload, signature, alg }
}

/** Verify a COSE_Sign1 signature with a public key; throws `cose.signature_invalid`. */
export function verifyCoseSign1(
  s: CoseSign1,
  key: PublicJwk | KeyObject,
  o: { externalAad?: Uint8Array; detachedPayload?: Uint8Array } = {},
): void {
  const payload = s.payload ?? o.detachedPayload
  if (!payload) throw new CoseError('cose.structure_invalid', 'detached payload required')
  let ok = false
  try {
    ok = verifySignature({
      alg: s.alg,
      key,
      data: sigStructure(s.protectedBytes, o.externalAad ?? new Uint8Array(0), payload),
      signature: s.signature,
    })
  } catch (cause) {
    throw new CoseError('cose.signature_invalid', 'COSE signature does not verify with this key', { cause })
  }
  if (!ok) throw new CoseError('cose.signature_invalid', 'COSE signature does not verify')
}

/** The x5chain header (33) as DER certificates, leaf first; protected or unprotected. */
export function x5chainOf(s: CoseSign1): Uint8Array[] | undefined {
  const v = s.protectedHeader.get(HEADER.x5chain) ?? s.unprotectedHeader.get(HEADER.x5chain)
  if (v === undefined) return undefined
  if (v instanceof Uint8Array) return [v]
  if (Array.isArray(v) && v.length > 0 && v.every((c) => c instanceof Uint8Array)) return v as Uint8Array[]
  throw new CoseError('cose.structure_invalid', 'x5chain must be a bstr or an array of bstr')
}
