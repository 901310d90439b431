import { type Clock, epochSeconds, type JsonObject, systemClock } from '@bonafide/core'
import { type ParsedJws, parseCompactJws, signCompactJws, verifyJwsSignature, type X5cValidator } from '@bonafide/jose'
import type { Signer } from '@bonafide/keys'
import { validateX5cHeader } from '@bonafide/oauth2'
import { Openid4vciError } from './errors.js'

export const SIGNED_METADATA_TYP = 'openidvci-issuer-metadata+jwt'

/** OpenID4VCI §12.2.3: metadata as a signed JWT (`sub` = the Credential Issuer Identifier). */
export async function signIssuerMetadata(
  metadata: JsonObject,
  o: { signer: Signer; x5c?: string[]; validForSeconds?: number; clock?: Clock },
): Promise<string> {
  const iat = epochSeconds(o.clock ?? systemClock)
  const payload: JsonObject = {
    ...metadata,
    iss: String(metadata.credential_issuer),
    sub: String(metadata.credential_issuer),
    iat,
    exp: iat + (o.validForSeconds ?? 86400),
  }
  return signCompactJws({ typ: SIGNED_METADATA_TYP, ...(o.x5c ? { x5c: o.x5c } : {}) }, payload, o.signer)
}

/** Verify signed metadata: typ, x5c chain to a trusted anchor, signature, `sub`, `iat`/`exp`; returns the metadata claims. */
export function verifySignedIssuerMetadata(jwt: string, o: { trust: X5cValidator; issuer: string; clock?: Clock }): JsonObject {
  const fail = (m: string) => new Openid4vciError('openid4vci.metadata_invalid', m)
  let jws: ParsedJws
  try {
    jws = parseCompactJws(jwt, { maxLength: 512 * 1024 })
  } catch (cause) {
    throw new Openid4vciError('openid4vci.metadata_invalid', 'signed metadata is malformed', { cause })
  }
  if (jws.header.typ !== SIGNED_METADATA_TYP) throw fail('signed metadata typ is wrong')
  const nowMs = (o.clock ?? systemClock).now()
  try {
    verifyJwsSignature(jws, validateX5cHeader(o.trust, jws.header.x5c, nowMs).leafKey)
  } catch (cause) {
    throw new Openid4vciError('openid4vci.metadata_invalid', 'signed metadata is not from a trusted signer', { cause })
  }
  const { iss: _iss, sub, iat, exp, ...metadata } = jws.payload
  const now = Math.floor(nowMs / 1000)
  if (sub !== o.issuer) throw fail('signed metadata sub is not the issuer identifier')
  if (typeof iat !== 'number' || iat > now + 60) throw fail('signed metadata iat is invalid')
  if (exp !== undefined && (typeof exp !== 'number' || exp <= now)) throw fail('signed metadata has expired')
  return metadata
}
