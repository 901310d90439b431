import {
  b64uEncode,
  type Clock,
  epochSeconds,
  isJsonObject,
  type JsonObject,
  OAuthError,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { parseCompactJws, signCompactJws, verifyJwsSignature, type X5cValidator } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk, type Signer } from '@bonafide/keys'
import type { ReplayGuard } from './replay.js'
import { validateX5cHeader } from './x5c-profile.js'

export const CLIENT_ATTESTATION_TYP = 'oauth-client-attestation+jwt'
export const CLIENT_ATTESTATION_POP_TYP = 'oauth-client-attestation-pop+jwt'
export const CLIENT_ATTESTATION_HEADER = 'oauth-client-attestation'
export const CLIENT_ATTESTATION_POP_HEADER = 'oauth-client-attestation-pop'

/** A wallet provider issues a client attestation for a wallet instance key (draft-ietf-oauth-attestation-based-client-auth §5.1). */
export async function createClientAttestation(o: {
  providerSigner: Signer
  x5c: string[]
  clientId: string
  instanceKey: PublicJwk
  validForSeconds?: number
  clock?: Clock
  extra?: JsonObject
}): Promise<string> {
  const now = epochSeconds(o.clock ?? systemClock)
  return signCompactJws(
    { typ: CLIENT_ATTESTATION_TYP, x5c: o.x5c },
    { ...o.extra, sub: o.clientId, iat: now, exp: now + (o.validForSeconds ?? 3600), cnf: { jwk: { ...o.instanceKey } } },
    o.providerSigner,
  )
}

/** The wallet instance proves possession of the attested key (§5.2). */
export async function createClientAttestationPop(o: {
  instanceSigner: Signer
  clientId: string
  audience: string
  challenge?: string
  clock?: Clock
  random?: RandomSource
}): Promise<string> {
  const payload: JsonObject = {
    iss: o.clientId,
    aud: o.audience,
    jti: b64uEncode((o.random ?? systemRandom).bytes(16)),
    iat: epochSeconds(o.clock ?? systemClock),
  }
  if (o.challenge) payload.challenge = o.challenge
  return signCompactJws({ typ: CLIENT_ATTESTATION_POP_TYP }, payload, o.instanceSigner)
}

export interface VerifyClientAttestationOptions {
  /** x5c validator over the trusted wallet providers' anchors. */
  trustedProviders: X5cValidator
  /** The authorization server's issuer identifier (PoP `aud`). */
  audience: string
  replay: ReplayGuard
  clock?: Clock
  maxPopAgeSeconds?: number
  /** Server challenge the PoP must carry, when the AS requires one. */
  challenge?: (value: string | undefined) => Promise<boolean>
}

export interface VerifiedClientAttestation {
  readonly clientId: string
  readonly instanceKey: PublicJwk
  readonly attestation: JsonObject
}

function fail(description: string): OAuthError {
  return new OAuthError('invalid_client', description, { status: 401 })
}

/**
 * Verify `OAuth-Client-Attestation` + `OAuth-Client-Attestation-PoP` headers (§6): x5c to a trusted
 * wallet provider, signature, typ, exp, `cnf.jwk`; the PoP signed by that key with `iss` = `sub`,
 * `aud` = this AS, fresh `iat` and single-use `jti`.
 */
export async function verifyClientAttestation(
  attestation: string | null,
  pop: string | null,
  o: VerifyClientAttestationOptions,
): Promise<VerifiedClientAttestation> {
  if (!attestation || !pop) throw fail('client attestation headers are required')
  const nowMs = (o.clock ?? systemClock).now()
  const now = Math.floor(nowMs / 1000)
  let att: ReturnType<typeof parseCompactJws>
  let popJws: ReturnType<typeof parseCompactJws>
  try {
    att = parseCompactJws(attestation, { maxLength: 32 * 1024 })
    popJws = parseCompactJws(pop, { maxLength: 8192 })
  } catch {
    throw fail('client attestation is malformed')
  }
  if (att.header.typ !== CLIENT_ATTESTATION_TYP) throw fail('client attestation typ is wrong')
  try {
    const chain = validateX5cHeader(o.trustedProviders, att.header.x5c, nowMs)
    verifyJwsSignature(att, chain.leafKey)
  } catch {
    throw fail('client attestation is not from a trusted wallet provider')
  }
  const p = att.payload
  if (typeof p.sub !== 'string' || !p.sub) throw fail('client attestation sub is missing')
  if (typeof p.exp !== 'number' || p.exp <= now) throw fail('client attestation has expired')
  if (!isJsonObject(p.cnf) || !isJsonObject(p.cnf.jwk)) throw fail('client attestation cnf.jwk is missing')
  let instanceKey: PublicJwk
  try {
    instanceKey = parsePublicJwk(p.cnf.jwk)
  } catch {
    throw fail('client attestation cnf.jwk is invalid')
  }
  if (popJws.header.typ !== CLIENT_ATTESTATION_POP_TYP) throw fail('client attestation PoP typ is wrong')
  try {
    verifyJwsSignature(popJws, instanceKey)
  } catch {
    throw fail('client attestation PoP signature is invalid')
  }
  const q = popJws.payload
  if (q.iss !== p.sub) throw fail('client attestation PoP iss does not match')
  const aud = q.aud
  if (!(aud === o.audience || (Array.isArray(aud) && aud.includes(o.audience)))) throw fail('client attestation PoP aud is wrong')
  const maxAge = o.maxPopAgeSeconds ?? 300
  if (typeof q.iat !== 'number' || q.iat > now + 5 || q.iat < now - maxAge) throw fail('client attestation PoP is not fresh')
  if (typeof q.jti !== 'string' || q.jti.length < 8) throw fail('client attestation PoP jti is missing')
  if (o.challenge && !(await o.challenge(typeof q.challenge === 'string' ? q.challenge : undefined)))
    throw new OAuthError('use_attestation_challenge', 'a fresh attestation challenge is required', { status: 400 })
  if (!(await o.replay.useOnce(`cattpop:${p.sub}:${q.jti}`, (now + maxAge + 5) * 1000)))
    throw fail('client attestation PoP was already used')
  return { clientId: p.sub, instanceKey, attestation: p }
}
