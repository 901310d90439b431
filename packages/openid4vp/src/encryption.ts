import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { b64uDecode, isJsonObject, type JsonObject, parseJson } from '@bonafide/core'
import { exportPublicJwk, jwkThumbprint, type PublicJwk } from '@bonafide/keys'
import { CompactEncrypt, compactDecrypt } from 'jose'
import { Openid4vpError } from './errors.js'

export type ResponseEnc = 'A128GCM' | 'A256GCM'
export const RESPONSE_ENC_VALUES: readonly ResponseEnc[] = ['A128GCM', 'A256GCM']

/** A fresh ECDH-ES P-256 key pair for one request (§8.3): its public JWK goes into client_metadata. */
export function createResponseEncryptionKey(): {
  privateKey: KeyObject
  jwk: PublicJwk & { kid: string; use: 'enc'; alg: 'ECDH-ES' }
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pub = exportPublicJwk(publicKey)
  return { privateKey, jwk: { ...pub, kid: jwkThumbprint(pub), use: 'enc', alg: 'ECDH-ES' } }
}

/** Raw JWK SHA-256 thumbprint (for the mdoc SessionTranscript of encrypted responses, B.2.6.1). */
export function jwkThumbprintBytes(jwk: PublicJwk): Uint8Array {
  return b64uDecode(jwkThumbprint(jwk))
}

async function encryptTo(
  plaintext: string,
  jwk: PublicJwk & { kid?: string },
  enc: ResponseEnc,
  header: Record<string, string> = {},
): Promise<string> {
  const { createPublicKey } = await import('node:crypto')
  const key = createPublicKey({
    key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.kty === 'EC' ? { y: jwk.y } : {}) } as never,
    format: 'jwk',
  })
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'ECDH-ES', enc, ...(jwk.kid ? { kid: jwk.kid } : {}), ...header })
    .encrypt(key)
}

/** Wallet side: encrypt the response parameters to the verifier's key (JWE, ECDH-ES, A128GCM or A256GCM). */
export async function encryptResponse(params: JsonObject, jwk: PublicJwk & { kid?: string }, enc: ResponseEnc): Promise<string> {
  return encryptTo(JSON.stringify(params), jwk, enc)
}

/**
 * Verifier side, request_uri_method=post (§5.10): encrypt the signed request object to a key the wallet sent in
 * `wallet_metadata.jwks` (RFC 9101 §6.1 nested JWT: signed, then encrypted; `cty` names the inner type).
 */
export async function encryptRequestObject(
  jws: string,
  jwk: PublicJwk & { kid?: string },
  enc: ResponseEnc = 'A128GCM',
): Promise<string> {
  return encryptTo(jws, jwk, enc, { cty: 'oauth-authz-req+jwt' })
}

/** Wallet side: decrypt an encrypted request object with the key whose public part went into wallet_metadata. */
export async function decryptRequestObject(jwe: string, privateKey: KeyObject): Promise<string> {
  if (jwe.length > 256 * 1024) throw new Openid4vpError('openid4vp.request_invalid', 'encrypted request object too large')
  try {
    const { plaintext } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...RESPONSE_ENC_VALUES],
    })
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch (cause) {
    throw new Openid4vpError('openid4vp.request_invalid', 'the encrypted request object cannot be decrypted', { cause })
  }
}

/** Verifier side: decrypt a `direct_post.jwt` response with the session's private key, strictly. */
export async function decryptResponse(jwe: string, privateKey: KeyObject): Promise<JsonObject> {
  if (jwe.length > 1 << 20) throw new Openid4vpError('openid4vp.response_invalid', 'encrypted response too large')
  try {
    const { plaintext } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...RESPONSE_ENC_VALUES],
    })
    const v = parseJson(new TextDecoder().decode(plaintext), { maxLength: 1 << 20 })
    if (!isJsonObject(v)) throw new Error('not an object')
    return v
  } catch (cause) {
    throw new Openid4vpError('openid4vp.response_invalid', 'the encrypted response cannot be decrypted', { cause })
  }
}
