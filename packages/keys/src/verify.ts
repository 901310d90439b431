import { type KeyObject, verify as nodeVerify } from 'node:crypto'
import { utf8Encode } from '@bonafide/core'
import { ALG_INFO, type JwsAlg } from './alg.js'
import { KeysError } from './errors.js'
import { importPublicKey, type PublicJwk } from './jwk.js'

export interface VerifySignatureInput {
  alg: JwsAlg
  /** A public JWK (imported through the cache) or an already imported KeyObject. */
  key: PublicJwk | KeyObject
  data: Uint8Array | string
  /** Raw signature (ECDSA: r||s as in JWS and COSE). */
  signature: Uint8Array
}

/** Injectable signature verification; the default runs node:crypto on cached KeyObjects. */
export type VerifySignature = (input: VerifySignatureInput) => boolean

function keyCurve(key: KeyObject): string | undefined {
  const d = key.asymmetricKeyDetails
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519'
  if (key.asymmetricKeyType === 'ec') {
    return d?.namedCurve === 'prime256v1'
      ? 'P-256'
      : d?.namedCurve === 'secp384r1'
        ? 'P-384'
        : d?.namedCurve === 'secp521r1'
          ? 'P-521'
          : undefined
  }
  return undefined
}

/**
 * Verify a raw signature. The algorithm must match the key's curve (no algorithm confusion);
 * a signature of the wrong length is simply invalid.
 */
export const verifySignature: VerifySignature = ({ alg, key, data, signature }) => {
  const info = ALG_INFO[alg]
  if (!info) throw new KeysError('keys.alg_unsupported', 'unsupported algorithm')
  let ko: KeyObject
  if ('kty' in key) {
    if (key.crv !== info.crv) throw new KeysError('keys.key_alg_mismatch', 'key does not match the algorithm')
    ko = importPublicKey(key)
  } else {
    ko = key
    if (keyCurve(ko) !== info.crv) throw new KeysError('keys.key_alg_mismatch', 'key does not match the algorithm')
  }
  if (signature.byteLength !== info.sigLen) return false
  return nodeVerify(
    info.hash,
    typeof data === 'string' ? utf8Encode(data) : data,
    info.hash ? { key: ko, dsaEncoding: 'ieee-p1363' } : ko,
    signature,
  )
}

export { keyCurve }
