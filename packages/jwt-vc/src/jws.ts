import type { KeyObject } from 'node:crypto'
import { isVcError, VcError } from '@bonafide/core'
import { type ParsedJws, parseCompactJws, verifyJwsSignature } from '@bonafide/jose'
import type { JwsAlg, PublicJwk } from '@bonafide/keys'
import { JwtVcError, type JwtVcErrorCode } from './errors.js'

const JOSE_TO_JWT_VC: Readonly<Record<string, JwtVcErrorCode>> = {
  'jose.alg_none': 'jwt_vc.alg_invalid',
  'jose.alg_forbidden': 'jwt_vc.alg_invalid',
  'jose.alg_not_allowed': 'jwt_vc.alg_invalid',
  'jose.token_too_large': 'jwt_vc.too_large',
}

/**
 * Split and decode a compact JWS strictly (RFC 7515 §7.1, via @bonafide/jose), size-limited; `alg` none and
 * HMAC are refused before anything else is looked at. Errors are re-coded into this package's codes.
 */
export function parseJwt(token: unknown, maxLength: number): ParsedJws {
  if (typeof token !== 'string') throw new JwtVcError('jwt_vc.malformed', 'a JWT VC or VP is a compact JWS string')
  if (token.length > maxLength) throw new JwtVcError('jwt_vc.too_large', 'JWT too large')
  try {
    return parseCompactJws(token, { maxLength })
  } catch (cause) {
    const code = isVcError(cause) ? (JOSE_TO_JWT_VC[cause.code] ?? 'jwt_vc.malformed') : 'jwt_vc.malformed'
    throw new JwtVcError(code, code === 'jwt_vc.alg_invalid' ? 'the JWS algorithm is refused' : 'not a valid compact JWS', {
      cause,
    })
  }
}

/** Verify with the first key that works; `jwt_vc.signature_invalid` when none does. */
export function verifyWithAny(
  jws: ParsedJws<unknown>,
  keys: readonly (PublicJwk | KeyObject)[],
  algorithms?: readonly JwsAlg[],
): PublicJwk | KeyObject {
  if (algorithms && !algorithms.includes(jws.header.alg))
    throw new JwtVcError('jwt_vc.alg_invalid', 'the JWS algorithm is not accepted by this verifier')
  let last: unknown
  for (const key of keys) {
    try {
      verifyJwsSignature(jws, key)
      return key
    } catch (e) {
      last = e
    }
  }
  throw new JwtVcError('jwt_vc.signature_invalid', 'the signature does not verify', { cause: last })
}

/** Re-throw typed errors as they are; wrap anything else with `code`. */
export function rethrow(e: unknown, code: JwtVcErrorCode, message: string): never {
  if (e instanceof VcError) throw e
  throw new JwtVcError(code, message, { cause: e })
}
