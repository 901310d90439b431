import { Buffer } from 'node:buffer'
import { ECDH } from 'node:crypto'
import { b64uDecode, b64uEncode } from '@bonafide/core'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { base58Decode, base58Encode } from './base58.js'
import { DidError } from './errors.js'

// Multicodec varint prefixes: p256-pub 0x1200, ed25519-pub 0xed.
const P256 = [0x80, 0x24]
const ED25519 = [0xed, 0x01]

/** A public key as multibase base58btc multicodec (`z…`), as did:key and Multikey use: P-256 (compressed) and Ed25519. */
export function jwkToMultibase(jwk: PublicJwk): string {
  if (jwk.kty === 'OKP') return `z${base58Encode(new Uint8Array([...ED25519, ...b64uDecode(jwk.x)]))}`
  if (jwk.crv !== 'P-256') throw new DidError('did.key_unsupported', 'multikey supports P-256 and Ed25519 here')
  const y = b64uDecode(jwk.y)
  const compressed = new Uint8Array([(y[31] as number) & 1 ? 0x03 : 0x02, ...b64uDecode(jwk.x)])
  return `z${base58Encode(new Uint8Array([...P256, ...compressed]))}`
}

/** Decode a multibase base58btc multicodec public key (P-256 compressed or Ed25519) to a validated JWK. */
export function multibaseToJwk(mb: string): PublicJwk {
  if (typeof mb !== 'string' || !mb.startsWith('z') || mb.length > 128)
    throw new DidError('did.invalid', 'a multikey must be multibase base58btc')
  const bytes = base58Decode(mb.slice(1))
  try {
    if (bytes[0] === ED25519[0] && bytes[1] === ED25519[1] && bytes.length === 34)
      return parsePublicJwk({ kty: 'OKP', crv: 'Ed25519', x: b64uEncode(bytes.subarray(2)) })
    if (bytes[0] === P256[0] && bytes[1] === P256[1] && bytes.length === 35) {
      const full = ECDH.convertKey(Buffer.from(bytes.subarray(2)), 'prime256v1', undefined, undefined, 'uncompressed') as Buffer
      return parsePublicJwk({
        kty: 'EC',
        crv: 'P-256',
        x: b64uEncode(full.subarray(1, 33)),
        y: b64uEncode(full.subarray(33, 65)),
      })
    }
  } catch (cause) {
    throw new DidError('did.invalid', 'the multikey does not hold a valid key', { cause })
  }
  throw new DidError('did.key_unsupported', 'unsupported multicodec key type')
}
