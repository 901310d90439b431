import {
  b64uEncode,
  digestB64u,
  type HashAlg,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type RandomSource,
  systemRandom,
  utf8Encode,
} from '@bonafide/core'
import { encodeSegment } from '@bonafide/jose'
import { type Signer, signWith } from '@bonafide/keys'
import type { ClaimPathInput } from './claim-path.js'
import { createDisclosure, type Disclosure, SaltSource } from './disclosure.js'
import { SdJwtError } from './errors.js'
import { assertFrameUsed, cachedFrame, type FrameNode, frameChildren } from './frame.js'
import { joinCompact, SD_JWT_LIMITS, toJsonSerialization } from './serialization.js'

export interface IssueSdJwtOptions {
  /** The claims, including non-disclosable ones (iss, iat, cnf, …). */
  payload: JsonObject
  /** Paths of the claims (object properties or array elements) that become selectively disclosable. */
  disclosable?: readonly ClaimPathInput[]
  signer: Signer
  /** Extra JOSE header members (`typ`, `kid`, `x5c`); `alg` comes from the signer. */
  header?: JsonObject
  /** `_sd_alg` (RFC 9901 §4.1.1); default sha-256. */
  hashAlg?: HashAlg
  /** Decoy digests added to every object that has disclosable claims (§4.2.5). */
  decoys?: number
  random?: RandomSource
}

export interface PreparedSdJwt {
  readonly payload: JsonObject
  readonly disclosures: Disclosure[]
}

const RESERVED = new Set(['_sd', '...', '_sd_alg'])

const NONE: FrameNode[] = []
const NO_PATHS: readonly ClaimPathInput[] = []

function childrenOf(nodes: FrameNode[], key: string | number): FrameNode[] {
  if (nodes.length === 0) return NONE
  if (nodes.length === 1) return frameChildren(nodes[0], key)
  return nodes.flatMap((n) => frameChildren(n, key))
}

/**
 * Build the SD-JWT payload with digests in place of disclosable claims (§4.2.4). Claims are
 * encoded bottom-up, so a disclosable object whose own members are disclosable becomes a
 * recursive disclosure (§4.2.6). Digests in `_sd` are sorted to hide the claims' order.
 */
export function prepareSdJwtPayload(
  payload: JsonObject,
  frame: FrameNode,
  o: { hashAlg: HashAlg; salts: SaltSource; decoys: number; random: RandomSource },
): PreparedSdJwt {
  const disclosures: Disclosure[] = []
  const hit = new Set<FrameNode>()
  const decoy = (): string => digestB64u(o.hashAlg, b64uEncode(o.random.bytes(16)))

  const encode = (value: JsonValue, nodes: FrameNode[], depth: number): JsonValue => {
    if (depth > SD_JWT_LIMITS.maxDepth) throw new SdJwtError('sd_jwt.too_deep', 'claims are nested too deeply')
    if (Array.isArray(value)) {
      return value.map((el, i) => {
        const kids = childrenOf(nodes, i)
        const v = encode(el, kids, depth + 1)
        if (!kids.some((k) => k.sd)) return v
        for (const k of kids) hit.add(k)
        const d = createDisclosure(o.hashAlg, o.salts.next(), undefined, v)
        disclosures.push(d)
        return { '...': d.digest }
      })
    }
    if (!isJsonObject(value)) return value
    const out: Record<string, JsonValue> = {}
    const sd: string[] = []
    for (const k of Object.keys(value)) {
      if (RESERVED.has(k)) throw new SdJwtError('sd_jwt.claim_name_reserved', 'claims may not use the names _sd, ... or _sd_alg')
      const kids = childrenOf(nodes, k)
      const v = encode(value[k] as JsonValue, kids, depth + 1)
      if (kids.some((c) => c.sd)) {
        for (const c of kids) hit.add(c)
        const d = createDisclosure(o.hashAlg, o.salts.next(), k, v)
        disclosures.push(d)
        sd.push(d.digest)
      } else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
    }
    if (sd.length > 0) {
      for (let i = 0; i < o.decoys; i++) sd.push(decoy())
      out._sd = sd.sort()
    }
    return out
  }

  const root = encode(payload, [frame], 0) as JsonObject
  assertFrameUsed(frame, hit)
  return { payload: root, disclosures }
}

/**
 * Issue an SD-JWT (RFC 9901 §4) in compact serialization.
 * @example
 * const sdJwt = await issueSdJwt({ payload: { iss, given_name: 'Erika' }, disclosable: ['given_name'], signer })
 */
export async function issueSdJwt(o: IssueSdJwtOptions): Promise<string> {
  const { jwt, disclosures } = await issueSdJwtParts(o)
  return joinCompact(
    jwt,
    disclosures.map((d) => d.encoded),
  )
}

/** Issue and return the signed JWT and the disclosures separately (for JSON serialization). */
export async function issueSdJwtParts(o: IssueSdJwtOptions): Promise<{ jwt: string; disclosures: Disclosure[] }> {
  if (!isJsonObject(o.payload)) throw new SdJwtError('sd_jwt.options_invalid', 'payload must be an object')
  const hashAlg = o.hashAlg ?? 'sha-256'
  const random = o.random ?? systemRandom
  const prepared = prepareSdJwtPayload(o.payload, cachedFrame(o.disclosable ?? NO_PATHS), {
    hashAlg,
    salts: SaltSource.for(random),
    decoys: o.decoys ?? 0,
    random,
  })
  const payload = prepared.disclosures.length > 0 || o.hashAlg ? { ...prepared.payload, _sd_alg: hashAlg } : prepared.payload
  const jwt = await signJwt(o.header ?? {}, payload, o.signer)
  return { jwt, disclosures: prepared.disclosures }
}

/** Sign a JWT with the signer's algorithm (alg first in the header). */
export async function signJwt(header: JsonObject, payload: JsonObject, signer: Signer): Promise<string> {
  const { alg: _ignored, ...rest } = header
  const input = `${encodeSegment({ alg: signer.alg, ...rest })}.${encodeSegment(payload)}`
  return `${input}.${b64uEncode(await signWith(signer, utf8Encode(input)))}`
}

/**
 * Issue in JWS JSON Serialization (RFC 9901 §8): flattened, or general with optional further
 * signatures over the same payload (each signer with its own protected header).
 */
export async function issueSdJwtJson(
  o: IssueSdJwtOptions & {
    form: 'flattened' | 'general'
    additionalSigners?: { signer: Signer; header?: JsonObject }[]
    unprotectedHeader?: JsonObject
  },
): Promise<string> {
  const { jwt, disclosures } = await issueSdJwtParts(o)
  const extra: Record<string, unknown>[] = []
  const payloadSeg = jwt.split('.')[1] as string
  for (const a of o.additionalSigners ?? []) {
    if (o.form !== 'general')
      throw new SdJwtError('sd_jwt.options_invalid', 'only the general serialization carries several signatures')
    const { alg: _ignored, ...rest } = a.header ?? {}
    const prot = encodeSegment({ alg: a.signer.alg, ...rest })
    const sig = await signWith(a.signer, utf8Encode(`${prot}.${payloadSeg}`))
    extra.push({ protected: prot, signature: b64uEncode(sig) })
  }
  return JSON.stringify(
    toJsonSerialization(
      { jwt, disclosures: disclosures.map((d) => d.encoded), extraSignatures: extra },
      o.form,
      o.unprotectedHeader,
    ),
  )
}
