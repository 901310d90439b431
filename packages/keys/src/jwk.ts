import { createPublicKey, type KeyObject } from 'node:crypto'
import { b64uDecode, digestB64u, hasOwn, isJsonObject } from '@bonafide/core'
import { ALG_INFO, type JwsAlg } from './alg.js'
import { KeysError } from './errors.js'

interface JwkCommon {
  kid?: string
  alg?: string
  use?: string
  key_ops?: string[]
  x5c?: string[]
}
export interface EcPublicJwk extends JwkCommon {
  kty: 'EC'
  crv: 'P-256' | 'P-384' | 'P-521'
  x: string
  y: string
}
export interface OkpPublicJwk extends JwkCommon {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
}
/** A public JWK of a kind we support. Never carries private members. */
export type PublicJwk = EcPublicJwk | OkpPublicJwk
/** A private JWK (only for export/import by tools that opt in; never on the Signer). */
export type PrivateJwk = PublicJwk & { d: string }

const COORD: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, Ed25519: 32 }
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

function coord(v: unknown, len: number): string {
  if (typeof v !== 'string') throw new KeysError('keys.jwk_invalid', 'JWK coordinate must be a string')
  let bytes: Uint8Array
  try {
    bytes = b64uDecode(v)
  } catch {
    throw new KeysError('keys.jwk_invalid', 'JWK coordinate is not base64url')
  }
  if (bytes.byteLength !== len) throw new KeysError('keys.jwk_invalid', 'JWK coordinate has the wrong length')
  return v
}

/**
 * Parse an untrusted public JWK strictly: known kty/crv, exact coordinate lengths, no private
 * members (`keys.jwk_private_material`), and a point that node:crypto accepts.
 */
export function parsePublicJwk(input: unknown): PublicJwk {
  if (!isJsonObject(input)) throw new KeysError('keys.jwk_invalid', 'JWK must be an object')
  for (const m of PRIVATE_MEMBERS) {
    if (hasOwn(input, m)) throw new KeysError('keys.jwk_private_material', 'JWK contains private key material')
  }
  const { kty, crv } = input
  let jwk: PublicJwk
  if (kty === 'EC' && (crv === 'P-256' || crv === 'P-384' || crv === 'P-521')) {
    const len = COORD[crv] as number
    jwk = { kty, crv, x: coord(input.x, len), y: coord(input.y, len) }
  } else if (kty === 'OKP' && crv === 'Ed25519') {
    jwk = { kty, crv, x: coord(input.x, 32) }
  } else {
    throw new KeysError('keys.jwk_invalid', 'unsupported JWK key type or curve')
  }
  if (typeof input.kid === 'string') jwk.kid = input.kid
  if (typeof input.alg === 'string') jwk.alg = input.alg
  if (typeof input.use === 'string') jwk.use = input.use
  importPublicKey(jwk) // point validation
  return jwk
}

/** Strip everything but the key's own members (for embedding in `cnf`, headers). */
export function publicJwkMembers(jwk: PublicJwk): PublicJwk {
  return jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: 'OKP', crv: jwk.crv, x: jwk.x }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) over the required members in lexicographic order. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const canonical =
    jwk.kty === 'EC'
      ? `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`
      : `{"crv":"${jwk.crv}","kty":"OKP","x":"${jwk.x}"}`
  return digestB64u('sha-256', canonical)
}

/** RFC 9278 JWK thumbprint URI. */
export function jwkThumbprintUri(jwk: PublicJwk): string {
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${jwkThumbprint(jwk)}`
}

const CACHE_MAX = 4096
const cache = new Map<string, KeyObject>()

function cacheKey(jwk: PublicJwk): string {
  return jwk.kty === 'EC' ? `${jwk.crv}.${jwk.x}.${jwk.y}` : `${jwk.crv}.${jwk.x}`
}

/**
 * Import a public JWK into a node:crypto KeyObject, cached: importing costs about as much as a
 * verification, and verifiers see the same issuer keys over and over.
 */
export function importPublicKey(jwk: PublicJwk): KeyObject {
  const k = cacheKey(jwk)
  const hit = cache.get(k)
  if (hit) return hit
  let key: KeyObject
  try {
    key = createPublicKey({ key: publicJwkMembers(jwk) as never, format: 'jwk' })
  } catch (cause) {
    throw new KeysError('keys.jwk_invalid', 'JWK is not a valid public key', { cause })
  }
  if (cache.size >= CACHE_MAX) {
    const first = cache.keys().next().value
    if (first !== undefined) cache.delete(first)
  }
  cache.set(k, key)
  return key
}

/** Export a KeyObject's public part as a JWK of a supported kind. */
export function exportPublicJwk(key: KeyObject): PublicJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return parsePublicJwk(pub.export({ format: 'jwk' }))
}

/** The JWS algorithm a public JWK signs with. */
export function algForJwk(jwk: PublicJwk): JwsAlg {
  for (const alg of ['ES256', 'ES384', 'ES512', 'EdDSA'] as const) if (ALG_INFO[alg].crv === jwk.crv) return alg
  throw new KeysError('keys.alg_unsupported', 'unsupported curve')
}

/** Number of public keys currently cached (for tests and benchmarks). */
export function publicKeyCacheSize(): number {
  return cache.size
}
