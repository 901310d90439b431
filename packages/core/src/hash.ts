import * as nodeCrypto from 'node:crypto'
import { createHash } from 'node:crypto'
import { CoreError } from './errors.js'

/** Hash algorithm names as IANA "Named Information Hash Algorithm" spells them (RFC 9901 §4.1.1). */
export type HashAlg = 'sha-256' | 'sha-384' | 'sha-512'

const NODE_NAMES: Record<HashAlg, string> = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' }

export function isHashAlg(v: unknown): v is HashAlg {
  return v === 'sha-256' || v === 'sha-384' || v === 'sha-512'
}

export function nodeHashName(alg: HashAlg): string {
  const n = NODE_NAMES[alg]
  if (!n) throw new CoreError('core.hash_unsupported', 'unsupported hash algorithm')
  return n
}

/** Digest of bytes or of a string's ASCII/UTF-8 encoding. */
export function digest(alg: HashAlg, data: Uint8Array | string): Uint8Array {
  const b = createHash(nodeHashName(alg)).update(data).digest()
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

type OneShot = (alg: string, data: string | Uint8Array, enc: 'base64url') => string
// crypto.hash (Node >= 20.12) hashes small inputs without creating a Hash object.
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash

/** base64url(digest) without an intermediate copy. */
export function digestB64u(alg: HashAlg, data: Uint8Array | string): string {
  const name = nodeHashName(alg)
  return oneShot ? oneShot(name, data, 'base64url') : createHash(name).update(data).digest('base64url')
}
