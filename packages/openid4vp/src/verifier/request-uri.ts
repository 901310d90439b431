import { Buffer } from 'node:buffer'
import { isJsonObject, isVcError, type JsonObject, parseJson, parseWire } from '@bonafide/core'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { z } from 'zod'
import { encryptRequestObject, RESPONSE_ENC_VALUES, type ResponseEnc } from '../encryption.js'
import { Openid4vpError } from '../errors.js'

/** Cap on the body a wallet may POST to the request_uri endpoint. */
export const REQUEST_URI_POST_MAX_BYTES = 64 * 1024

const zStrings = z.array(z.string().min(1).max(64)).max(32)
/** Wallet metadata (§10, AS metadata): the members the verifier acts on, others kept but ignored. */
export const zWalletMetadata = z.looseObject({
  request_object_signing_alg_values_supported: zStrings.optional(),
  authorization_encryption_alg_values_supported: zStrings.optional(),
  authorization_encryption_enc_values_supported: zStrings.optional(),
  jwks: z.looseObject({ keys: z.array(z.record(z.string(), z.unknown())).max(16) }).optional(),
  vp_formats_supported: z.record(z.string(), z.unknown()).optional(),
  client_id_prefixes_supported: zStrings.optional(),
})
export type WalletMetadata = z.output<typeof zWalletMetadata>

export interface RequestUriPost {
  readonly walletNonce?: string
  readonly walletMetadata?: WalletMetadata
}

const invalid = (message: string): never => {
  throw new Openid4vpError('openid4vp.request_invalid', message)
}

async function limitedText(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > max) invalid('request body too large')
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      invalid('request body too large')
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    return invalid('the body is not UTF-8')
  }
}

/**
 * Parse a wallet's POST to the request_uri endpoint (§5.10): `application/x-www-form-urlencoded`, size-limited,
 * each parameter at most once, `wallet_nonce` a short printable string, `wallet_metadata` a JSON object.
 * Unrecognised parameters are ignored (§5.10).
 */
export async function parseRequestUriPost(req: Request): Promise<RequestUriPost> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') invalid('the body must be application/x-www-form-urlencoded')
  const form = new URLSearchParams(await limitedText(req, REQUEST_URI_POST_MAX_BYTES))
  for (const name of ['wallet_nonce', 'wallet_metadata']) if (form.getAll(name).length > 1) invalid(`${name} is repeated`)
  const nonce = form.get('wallet_nonce')
  if (nonce !== null && !/^[\x21-\x7e]{1,512}$/.test(nonce)) invalid('wallet_nonce must be 1 to 512 printable characters')
  const md = form.get('wallet_metadata')
  let walletMetadata: WalletMetadata | undefined
  if (md !== null) {
    let json: unknown
    try {
      json = parseJson(md, { maxLength: REQUEST_URI_POST_MAX_BYTES })
    } catch {
      invalid('wallet_metadata is not JSON')
    }
    if (!isJsonObject(json)) invalid('wallet_metadata must be a JSON object')
    walletMetadata = parseWire(zWalletMetadata, json, 'openid4vp.request_invalid')
  }
  return { ...(nonce !== null ? { walletNonce: nonce } : {}), ...(walletMetadata ? { walletMetadata } : {}) }
}

/** The content encryption both sides support for the response (wallet's list, else ours). */
export function negotiateResponseEnc(md: WalletMetadata | undefined): ResponseEnc[] {
  const algs = md?.authorization_encryption_alg_values_supported
  if (algs && !algs.includes('ECDH-ES')) invalid('the wallet supports no response encryption algorithm we use')
  const wanted = md?.authorization_encryption_enc_values_supported
  const encs = wanted ? RESPONSE_ENC_VALUES.filter((e) => wanted.includes(e)) : [...RESPONSE_ENC_VALUES]
  if (encs.length === 0) invalid('the wallet supports no response content encryption we use')
  return encs
}

/** A request object encryption key from wallet_metadata.jwks (ECDH-ES, not a signing key), if the wallet sent one. */
export function walletEncryptionKey(md: WalletMetadata | undefined): (PublicJwk & { kid?: string }) | undefined {
  for (const k of md?.jwks?.keys ?? []) {
    if (k.use === 'sig' || (k.alg !== undefined && k.alg !== 'ECDH-ES')) continue
    const { kid, use: _u, alg: _a, ...members } = k as JsonObject
    try {
      const jwk = parsePublicJwk(members)
      if (jwk.kty !== 'EC') continue
      return { ...jwk, ...(typeof kid === 'string' ? { kid } : {}) }
    } catch {
      invalid('wallet_metadata.jwks holds an invalid key')
    }
  }
  return undefined
}

const jsonError = (status: number, description?: string) =>
  new Response(JSON.stringify({ error: 'invalid_request', ...(description ? { error_description: description } : {}) }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })

/**
 * Answer a request_uri fetch (§5.10, RFC 9101): GET, or POST parsed strictly; the request object is signed by `sign`
 * with the echoed `wallet_nonce` and the response encryption the wallet supports, then encrypted to the wallet's
 * `jwks` key when it sent one. Refuses (400) an algorithm the wallet does not list.
 */
export async function answerRequestUri(
  req: Request,
  o: {
    signerAlg?: string
    encryptedResponse: boolean
    sign(p: { walletNonce?: string; encs?: readonly ResponseEnc[] }): Promise<string>
  },
): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'POST') return jsonError(405)
  try {
    const post: RequestUriPost = req.method === 'POST' ? await parseRequestUriPost(req) : {}
    const md = post.walletMetadata
    const algs = md?.request_object_signing_alg_values_supported
    if (algs && o.signerAlg && !algs.includes(o.signerAlg)) invalid('no common request object signing algorithm')
    const encs = o.encryptedResponse ? negotiateResponseEnc(md) : undefined
    let jwt = await o.sign({ ...(post.walletNonce ? { walletNonce: post.walletNonce } : {}), ...(encs ? { encs } : {}) })
    const encKey = walletEncryptionKey(md)
    if (encKey) jwt = await encryptRequestObject(jwt, encKey)
    return new Response(jwt, {
      status: 200,
      headers: { 'content-type': 'application/oauth-authz-req+jwt', 'cache-control': 'no-store' },
    })
  } catch (e) {
    if (!isVcError(e)) throw e
    return jsonError(400, e.message)
  }
}
