import { isJsonObject, type JsonObject, OAuthError, utf8Encode } from '@bonafide/core'
import { parsePublicJwk } from '@bonafide/keys'
import { CompactEncrypt, type CompactJWEHeaderParameters, importJWK } from 'jose'

export interface ResponseEncryption {
  readonly jwk: JsonObject
  readonly enc: 'A128GCM' | 'A256GCM'
}

const bad = (d: string) => new OAuthError('invalid_encryption_parameters', d)

/** OpenID4VCI §10: check `credential_response_encryption` against what the issuer supports. */
export function parseResponseEncryption(input: unknown, supportedEnc: readonly string[]): ResponseEncryption {
  if (!isJsonObject(input) || !isJsonObject(input.jwk)) throw bad('credential_response_encryption needs jwk and enc')
  const { jwk, enc, zip } = input
  if (zip !== undefined) throw bad('compression is not supported')
  if ((enc !== 'A128GCM' && enc !== 'A256GCM') || !supportedEnc.includes(enc)) throw bad('enc is not supported')
  if ('d' in jwk) throw bad('encryption key must be public')
  if (jwk.alg !== undefined && jwk.alg !== 'ECDH-ES') throw bad('alg is not supported')
  if (jwk.kty !== 'EC') throw bad('encryption key must be an EC key')
  try {
    parsePublicJwk({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })
  } catch {
    throw bad('encryption key is invalid')
  }
  return { jwk, enc }
}

/** Encrypt a JSON response as a compact JWE (ECDH-ES, `enc` as requested). */
export async function encryptJson(body: JsonObject, e: ResponseEncryption): Promise<string> {
  const key = await importJWK({ kty: e.jwk.kty, crv: e.jwk.crv, x: e.jwk.x, y: e.jwk.y } as never, 'ECDH-ES')
  const header: CompactJWEHeaderParameters = { alg: 'ECDH-ES', enc: e.enc }
  if (typeof e.jwk.kid === 'string') header.kid = e.jwk.kid
  return new CompactEncrypt(utf8Encode(JSON.stringify(body))).setProtectedHeader(header).encrypt(key)
}

/** A successful response, encrypted when asked (`application/jwt`). Errors are never encrypted. */
export async function credentialResponse(
  body: JsonObject,
  status: number,
  enc: ResponseEncryption | undefined,
): Promise<Response> {
  if (!enc)
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  return new Response(await encryptJson(body, enc), {
    status,
    headers: { 'content-type': 'application/jwt', 'cache-control': 'no-store' },
  })
}
