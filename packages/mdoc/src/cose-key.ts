import { b64uDecode, b64uEncode } from '@bonafide/core'
import type { CborValue } from '@bonafide/cose'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { MdocError } from './errors.js'

const CRV_TO_COSE: Record<string, number> = { 'P-256': 1, 'P-384': 2, 'P-521': 3, Ed25519: 6 }
const COSE_TO_CRV: Record<number, string> = { 1: 'P-256', 2: 'P-384', 3: 'P-521', 6: 'Ed25519' }

/** A public JWK as a COSE_Key (RFC 9053 §7.1: EC2 kty 2, OKP kty 1). */
export function jwkToCoseKey(jwk: PublicJwk): Map<CborValue, CborValue> {
  const crv = CRV_TO_COSE[jwk.crv] as number
  if (jwk.kty === 'EC') {
    return new Map<CborValue, CborValue>([
      [1, 2],
      [-1, crv],
      [-2, b64uDecode(jwk.x)],
      [-3, b64uDecode(jwk.y)],
    ])
  }
  return new Map<CborValue, CborValue>([
    [1, 1],
    [-1, crv],
    [-2, b64uDecode(jwk.x)],
  ])
}

/** A COSE_Key (EC2 or OKP, public) as a JWK, validated like any untrusted JWK. */
export function coseKeyToJwk(key: unknown): PublicJwk {
  if (!(key instanceof Map)) throw new MdocError('mdoc.device_key_invalid', 'COSE_Key must be a map')
  if (key.has(-4)) throw new MdocError('mdoc.device_key_invalid', 'COSE_Key holds private key material')
  const kty = key.get(1)
  const crv = COSE_TO_CRV[key.get(-1) as number]
  const x = key.get(-2)
  const y = key.get(-3)
  try {
    if (kty === 2 && crv && x instanceof Uint8Array && y instanceof Uint8Array) {
      return parsePublicJwk({ kty: 'EC', crv, x: b64uEncode(x), y: b64uEncode(y) })
    }
    if (kty === 1 && crv === 'Ed25519' && x instanceof Uint8Array) return parsePublicJwk({ kty: 'OKP', crv, x: b64uEncode(x) })
  } catch (cause) {
    throw new MdocError('mdoc.device_key_invalid', 'COSE_Key is not a valid public key', { cause })
  }
  throw new MdocError('mdoc.device_key_invalid', 'unsupported COSE_Key')
}
