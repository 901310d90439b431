import type { KeyObject } from 'node:crypto'
import { b64uDecode, b64uDecodeUtf8, b64uEncode, isJsonObject, type JsonObject, utf8Encode } from '@bonafide/core'
import {
  isJwsAlg,
  type JwsAlg,
  type PublicJwk,
  type Signer,
  signWith,
  type VerifySignature,
  verifySignature,
} from '@bonafide/keys'
import { JoseError } from './errors.js'

/** Default cap on a compact JWS we will look at (256 KiB). */
export const DEFAULT_MAX_JWS_LENGTH = 256 * 1024

export interface JwsHeader extends JsonObject {}

export interface ParsedJws<P = JsonObject> {
  readonly header: JwsHeader & { alg: JwsAlg }
  readonly payload: P
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), what the signature covers. */
  readonly signingInput: string
  readonly signature: Uint8Array
  readonly raw: string
}

export interface ParseJwsOptions {
  maxLength?: number
  /** Header parameters listed in `crit` that the caller understands and checks itself. */
  understoodCrit?: readonly string[]
}

const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'])

function decodeJsonSegment(seg: string, what: 'header' | 'payload'): JsonObject {
  let text: string
  try {
    text = b64uDecodeUtf8(seg)
  } catch {
    throw new JoseError('jose.malformed', `${what} is not base64url`)
  }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new JoseError(what === 'header' ? 'jose.header_invalid' : 'jose.payload_invalid', `${what} is not JSON`)
  }
  if (!isJsonObject(v))
    throw new JoseError(what === 'header' ? 'jose.header_invalid' : 'jose.payload_invalid', `${what} is not a JSON object`)
  return v
}

/** Check a header's `alg` and `crit` (RFC 7515 §4.1.1, §4.1.11). `none` and HMAC are never accepted. */
export function checkJwsHeader(
  header: JsonObject,
  understoodCrit: readonly string[] = [],
): asserts header is JwsHeader & { alg: JwsAlg } {
  const alg = header.alg
  if (typeof alg !== 'string') throw new JoseError('jose.header_invalid', 'alg is missing')
  if (alg.toLowerCase() === 'none') throw new JoseError('jose.alg_none', 'unsecured JWS (alg none) is refused')
  if (/^HS\d+$/.test(alg)) throw new JoseError('jose.alg_forbidden', 'HMAC algorithms are refused')
  if (!isJwsAlg(alg)) throw new JoseError('jose.alg_not_allowed', 'algorithm not allowed')
  if (header.crit !== undefined) {
    const crit = header.crit
    if (!Array.isArray(crit) || crit.length === 0) throw new JoseError('jose.crit_unsupported', 'crit must be a non-empty array')
    for (const c of crit) {
      if (typeof c !== 'string' || REGISTERED.has(c) || !understoodCrit.includes(c) || !(c in header)) {
        throw new JoseError('jose.crit_unsupported', 'unsupported critical header parameter')
      }
    }
  }
  if (header.b64 === false) throw new JoseError('jose.header_invalid', 'unencoded payloads are not supported')
}

/**
 * Split a compact JWS by hand, strictly (exactly three non-empty base64url segments), decode the
 * JSON header and payload, and check the header allowlist. Does not verify the signature.
 */
export function parseCompactJws(token: unknown, opts: ParseJwsOptions = {}): ParsedJws {
  if (typeof token !== 'string') throw new JoseError('jose.malformed', 'JWS must be a string')
  if (token.length > (opts.maxLength ?? DEFAULT_MAX_JWS_LENGTH)) throw new JoseError('jose.token_too_large', 'JWS too large')
  const d1 = token.indexOf('.')
  const d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1)
  if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) throw new JoseError('jose.malformed', 'JWS must have three segments')
  const h = token.slice(0, d1)
  const p = token.slice(d1 + 1, d2)
  const s = token.slice(d2 + 1)
  // Empty segments are refused here; each segment's alphabet is checked by the strict decoder below.
  if (h.length === 0 || p.length === 0 || s.length === 0) throw new JoseError('jose.malformed', 'JWS segment is empty')
  const header = decodeJsonSegment(h, 'header')
  checkJwsHeader(header, opts.understoodCrit)
  const payload = decodeJsonSegment(p, 'payload')
  let signature: Uint8Array
  try {
    signature = b64uDecode(s)
  } catch {
    throw new JoseError('jose.malformed', 'signature is not base64url')
  }
  return { header, payload, signingInput: token.slice(0, d2), signature, raw: token }
}

/** Decode a JWS/JWT without verifying and without header checks (for `bonafide decode`). */
export function decodeJwsUnverified(token: string): { header: JsonObject; payload: JsonObject; signature: string } {
  const parts = token.split('.')
  if (parts.length !== 3) throw new JoseError('jose.malformed', 'JWS must have three segments')
  return {
    header: decodeJsonSegment(parts[0] as string, 'header'),
    payload: decodeJsonSegment(parts[1] as string, 'payload'),
    signature: parts[2] as string,
  }
}

export interface VerifyJwsOptions {
  /** Algorithms this verifier accepts (default: all supported asymmetric ones). */
  algorithms?: readonly JwsAlg[]
  verify?: VerifySignature
}

/** Verify a parsed JWS's signature with a public key; throws `jose.signature_invalid`. */
export function verifyJwsSignature(jws: ParsedJws<unknown>, key: PublicJwk | KeyObject, opts: VerifyJwsOptions = {}): void {
  if (opts.algorithms && !opts.algorithms.includes(jws.header.alg))
    throw new JoseError('jose.alg_not_allowed', 'algorithm not allowed')
  let ok: boolean
  try {
    ok = (opts.verify ?? verifySignature)({ alg: jws.header.alg, key, data: jws.signingInput, signature: jws.signature })
  } catch (cause) {
    throw new JoseError('jose.signature_invalid', 'signature does not verify with this key', { cause })
  }
  if (!ok) throw new JoseError('jose.signature_invalid', 'signature does not verify')
}

/** Encode a JSON object as a base64url JSON segment. */
export function encodeSegment(obj: unknown): string {
  return b64uEncode(JSON.stringify(obj))
}

/**
 * Sign a compact JWS. `alg` comes from the signer; the caller's header adds `typ`, `kid`, … .
 * @example const jwt = await signCompactJws({ typ: 'JWT' }, { iss: 'https://x' }, signer)
 */
export async function signCompactJws(header: JsonObject, payload: JsonObject | string, signer: Signer): Promise<string> {
  const { alg: _callerAlg, ...rest } = header
  const h = encodeSegment({ alg: signer.alg, ...rest })
  const p = typeof payload === 'string' ? b64uEncode(payload) : encodeSegment(payload)
  const input = `${h}.${p}`
  const sig = await signWith(signer, utf8Encode(input))
  return `${input}.${b64uEncode(sig)}`
}
