import { isJsonObject, type JsonObject } from '@bonafide/core'
import type { JwsHeader } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { JwtVcError } from './errors.js'
import {
  dateSeconds,
  idOf,
  isoSeconds,
  JWT_TYP,
  parseCredentialV1,
  parseCredentialV2,
  singleSubject,
  typesOf,
  VC_JWT_TYP,
  type VcVersion,
} from './model.js'

/** A JWT VC after the data-model checks, before the signature and time checks. */
export interface DecodedJwtVc {
  readonly version: VcVersion
  /** The credential: the `vc` claim with the registered claims mapped back (1.1), or the payload without JWT claims (2.0). */
  readonly credential: JsonObject
  readonly issuer: string
  readonly types: readonly string[]
  readonly subjectId?: string
  /** `cnf.jwk` (RFC 7800), the key the holder proves possession of. */
  readonly holderKey?: PublicJwk
  /** Seconds since the epoch. */
  readonly validFrom?: number
  readonly validUntil?: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

// Filled by assignment: this is on the hot path of every verification.
function decoded(
  version: VcVersion,
  credential: JsonObject,
  issuer: string,
  subject: JsonObject | undefined,
  holderKey: PublicJwk | undefined,
  validFrom: number | undefined,
  validUntil: number | undefined,
): DecodedJwtVc {
  const r: Mutable<DecodedJwtVc> = { version, credential, issuer, types: typesOf(credential) }
  if (typeof subject?.id === 'string') r.subjectId = subject.id
  if (holderKey) r.holderKey = holderKey
  if (validFrom !== undefined) r.validFrom = validFrom
  if (validUntil !== undefined) r.validUntil = validUntil
  return r
}

const JWT_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cnf'] as const

/** RFC 7515 §4.1.9: `typ` is compared case-insensitively and may omit the `application/` prefix. */
export function mediaType(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  const t = v.toLowerCase()
  return t.startsWith('application/') ? t.slice('application/'.length) : t
}

/** Which data model a JWT carries: `vc+jwt` → 2.0; a `vc` claim with typ JWT (or none) → 1.1. */
export function detectVersion(header: JwsHeader, payload: JsonObject, requireTyp: boolean): VcVersion {
  const typ = mediaType(header.typ)
  if (typ === VC_JWT_TYP) return '2.0'
  if (payload.vc !== undefined) {
    // VCDM 1.1 §6.3.1: "typ, if present, MUST be set to JWT"; absent is conformant (refusable by policy).
    if (typ === JWT_TYP.toLowerCase() || (typ === undefined && !requireTyp)) return '1.1'
  }
  throw new JwtVcError('jwt_vc.typ_invalid', 'typ must be vc+jwt, or JWT with a vc claim')
}

function holderKeyOf(payload: JsonObject): PublicJwk | undefined {
  const cnf = payload.cnf
  if (cnf === undefined) return undefined
  if (!isJsonObject(cnf) || cnf.jwk === undefined) throw new JwtVcError('jwt_vc.credential_invalid', 'cnf must hold a jwk')
  try {
    return parsePublicJwk(cnf.jwk)
  } catch (cause) {
    throw new JwtVcError('jwt_vc.credential_invalid', 'cnf.jwk is not a valid public key', { cause })
  }
}

function mismatch(what: string): never {
  throw new JwtVcError('jwt_vc.claim_mismatch', `${what} disagree`)
}

function numeric(payload: JsonObject, name: string): number | undefined {
  const v = payload[name]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new JwtVcError('jwt_vc.credential_invalid', `${name} must be a NumericDate`)
  return v
}

function stringClaim(payload: JsonObject, name: string): string | undefined {
  const v = payload[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length === 0) throw new JwtVcError('jwt_vc.credential_invalid', `${name} must be a string`)
  return v
}

/** VC-JOSE-COSE §3.1.1, §3.1.3 and VCDM 2.0 §4: the payload is the credential; no `vc`/`vp`; `iss` equals `issuer`. */
export function decodeV2(header: JwsHeader, payload: JsonObject): DecodedJwtVc {
  if (header.cty !== undefined && mediaType(header.cty) !== 'vc') throw new JwtVcError('jwt_vc.typ_invalid', 'cty must be vc')
  if (payload.vc !== undefined || payload.vp !== undefined)
    throw new JwtVcError('jwt_vc.credential_invalid', 'the vc and vp claims must not be present in a vc+jwt')
  const c = parseCredentialV2(payload)
  const issuer = idOf(c.issuer) as string
  const iss = stringClaim(payload, 'iss')
  if (iss !== undefined && iss !== issuer) mismatch('iss and issuer')
  const subject = singleSubject(c)
  const sub = stringClaim(payload, 'sub')
  if (sub !== undefined && typeof subject?.id === 'string' && sub !== subject.id) mismatch('sub and credentialSubject.id')
  const jti = stringClaim(payload, 'jti')
  if (jti !== undefined && c.id !== undefined && jti !== c.id) mismatch('jti and id')
  const credential: JsonObject = {}
  for (const [k, v] of Object.entries(c)) if (!(JWT_CLAIMS as readonly string[]).includes(k)) credential[k] = v
  const holderKey = holderKeyOf(payload)
  const validFrom = dateSeconds(c.validFrom)
  const validUntil = dateSeconds(c.validUntil)
  return decoded('2.0', credential, issuer, subject, holderKey, validFrom, validUntil)
}

/** Set `member` from a registered claim, or check that both agree (VCDM 1.1 §6.3.1 "JWT decoding"). */
function mapDate(vc: JsonObject, member: string, claim: number | undefined): number | undefined {
  const fromVc = dateSeconds(vc[member])
  if (claim === undefined) return fromVc
  if (fromVc !== undefined && fromVc !== Math.floor(claim)) mismatch(`the ${member} member and its JWT claim`)
  vc[member] = isoSeconds(Math.floor(claim))
  return Math.floor(claim)
}

/**
 * VCDM 1.1 §6.3.1: the `vc` claim plus the registered claims. iss ↔ issuer(.id), sub ↔ credentialSubject.id,
 * nbf ↔ issuanceDate, exp ↔ expirationDate, jti ↔ id must agree when both are present; the credential is
 * rebuilt from them.
 */
export function decodeV1(payload: JsonObject): DecodedJwtVc {
  if (!isJsonObject(payload.vc)) throw new JwtVcError('jwt_vc.credential_invalid', 'the vc claim must be an object')
  if (payload.vp !== undefined) throw new JwtVcError('jwt_vc.credential_invalid', 'a credential JWT has no vp claim')
  const vc = { ...parseCredentialV1(payload.vc) }
  const iss = stringClaim(payload, 'iss')
  const vcIssuer = idOf(vc.issuer)
  if (iss !== undefined && vcIssuer !== undefined && iss !== vcIssuer) mismatch('iss and issuer')
  const issuer = iss ?? vcIssuer
  if (!issuer) throw new JwtVcError('jwt_vc.credential_invalid', 'the issuer is required (iss or vc.issuer)')
  if (vc.issuer === undefined) vc.issuer = issuer
  const jti = stringClaim(payload, 'jti')
  if (jti !== undefined && vc.id !== undefined && jti !== vc.id) mismatch('jti and id')
  if (jti !== undefined) vc.id = jti
  const sub = stringClaim(payload, 'sub')
  let subject = singleSubject(vc)
  if (sub !== undefined) {
    if (!subject) throw new JwtVcError('jwt_vc.claim_mismatch', 'sub needs a single credentialSubject')
    if (subject.id !== undefined && subject.id !== sub) mismatch('sub and credentialSubject.id')
    subject = { ...subject, id: sub }
    vc.credentialSubject = subject
  }
  const validFrom = mapDate(vc, 'issuanceDate', numeric(payload, 'nbf'))
  if (validFrom === undefined) throw new JwtVcError('jwt_vc.credential_invalid', 'issuanceDate (or nbf) is required')
  const validUntil = mapDate(vc, 'expirationDate', numeric(payload, 'exp'))
  const holderKey = holderKeyOf(payload)
  return decoded('1.1', vc, issuer, subject, holderKey, validFrom, validUntil)
}

/** Decode either version without verifying anything but the structure (tools, wallets that display). */
export function decodeJwtVcPayload(header: JwsHeader, payload: JsonObject, requireTyp = false): DecodedJwtVc {
  return detectVersion(header, payload, requireTyp) === '2.0' ? decodeV2(header, payload) : decodeV1(payload)
}
