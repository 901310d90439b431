import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { isJsonObject, type JsonObject, OAuthError, utf8Encode } from '@bonafide/core'
import { jwkThumbprint, parsePublicJwk } from '@bonafide/keys'
import { CompactEncrypt, type CompactJWEHeaderParameters, compactDecrypt, importJWK } from 'jose'

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
  // §10: the JWK's alg MUST be present and is the JWE alg.
  if (jwk.alg !== 'ECDH-ES') throw bad('jwk alg must be present and supported')
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

/** The issuer's key for encrypted requests (`credential_request_encryption.jwks`). */
export interface RequestEncryptionKey {
  readonly publicJwk: JsonObject
  readonly privateKey: KeyObject
}

export function createRequestEncryptionKey(privateKey?: KeyObject): RequestEncryptionKey {
  const key = privateKey ?? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
  const pub = parsePublicJwk(createPublicKey(key).export({ format: 'jwk' }))
  if (pub.kty !== 'EC' || pub.crv !== 'P-256')
    throw new OAuthError('server_error', 'request encryption key must be P-256', { status: 500 })
  return { publicJwk: { ...pub, kid: jwkThumbprint(pub), alg: 'ECDH-ES', use: 'enc' }, privateKey: key }
}

/** OpenID4VCI §10: a JWE-encrypted request body (`application/jwt`) → its JSON claims. */
export async function decryptRequest(jwe: string, key: RequestEncryptionKey, enc: readonly string[]): Promise<JsonObject> {
  let plaintext: Uint8Array
  try {
    const r = await compactDecrypt(jwe, key.privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...enc],
    })
    if (r.protectedHeader.kid !== undefined && r.protectedHeader.kid !== key.publicJwk.kid) throw new Error('kid')
    if (r.protectedHeader.zip !== undefined) throw new Error('zip')
    plaintext = r.plaintext
  } catch {
    throw new OAuthError('invalid_encryption_parameters', 'the request cannot be decrypted')
  }
  let v: unknown
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext))
  } catch {
    throw new OAuthError('invalid_credential_request', 'the decrypted request is not JSON')
  }
  if (!isJsonObject(v)) throw new OAuthError('invalid_credential_request', 'the decrypted request is not a JSON object')
  return v
}
