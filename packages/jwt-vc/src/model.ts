import { isJsonObject, type JsonObject, type JsonValue, parseWire } from '@bonafide/core'
import { z } from 'zod'
import { JwtVcError } from './errors.js'

/** VC Data Model 1.1 §4.1 base context. */
export const VCDM1_CONTEXT = 'https://www.w3.org/2018/credentials/v1'
/** VC Data Model 2.0 §4.3 base context. */
export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2'
/** VCDM 1.1 §6.3.1: `typ`, if present, MUST be `JWT`. */
export const JWT_TYP = 'JWT'
/** VC-JOSE-COSE §3.1.1 / §3.1.2: media types of JOSE-secured VCDM 2.0 credentials and presentations. */
export const VC_JWT_TYP = 'vc+jwt'
export const VP_JWT_TYP = 'vp+jwt'

export type VcVersion = '1.1' | '2.0'

/** Default cap on a JWT VC (128 KiB) and on a JWT VP (1 MiB), and on credentials per presentation. */
export const JWT_VC_LIMITS = { maxCredentialLength: 128 * 1024, maxPresentationLength: 1 << 20, maxCredentialsPerVp: 32 }

// RFC 3339 date-time with a mandatory offset: a local time would be read in the verifier's zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i

const zContextEntry = z.union([z.string().min(1), z.looseObject({})])
const zTypes = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(64)])
const zIssuer = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })])

/*
 * Credentials are checked by hand rather than with zod: this is the hot path of every verification
 * (a zod parse cost about a tenth of an ES256 verify). The rules are VCDM 1.1 §4 / 2.0 §4, strictly;
 * unknown members are ignored as the data models say.
 */
function bad(path: string, message: string): never {
  throw new JwtVcError('jwt_vc.credential_invalid', `${path}: ${message}`, { details: { issues: [{ path, message }] } })
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0
}

function checkContext(v: JsonValue | undefined, base: string): void {
  if (!Array.isArray(v) || v.length === 0 || v.length > 32) bad('@context', 'must be a non-empty array')
  if (v[0] !== base) bad('@context', 'the first entry must be the base context of this version')
  for (const e of v) if (!nonEmptyString(e) && !isJsonObject(e)) bad('@context', 'entries are URLs or objects')
}

function checkType(v: JsonValue | undefined, base: string): void {
  const list = typeof v === 'string' ? [v] : v
  if (!Array.isArray(list) || list.length === 0 || list.length > 64 || !list.every(nonEmptyString))
    bad('type', 'must be a string or an array of strings')
  if (!list.includes(base)) bad('type', `must include ${base}`)
}

function checkObjects(v: JsonValue | undefined, path: string, max: number, item?: (o: JsonObject) => void): void {
  const list = Array.isArray(v) ? v : [v]
  if (list.length === 0 || list.length > max) bad(path, `must be an object or 1 to ${max} objects`)
  for (const o of list) {
    if (!isJsonObject(o)) bad(path, 'must be an object or an array of objects')
    item?.(o)
  }
}

function checkDate(c: JsonObject, name: string): void {
  const v = c[name]
  if (v !== undefined && !(typeof v === 'string' && DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))))
    bad(name, 'must be an RFC 3339 date-time with a time zone')
}

function checkCommon(c: JsonObject, context: string, issuerRequired: boolean): void {
  checkContext(c['@context'], context)
  checkType(c.type, 'VerifiableCredential')
  if (c.id !== undefined && !nonEmptyString(c.id)) bad('id', 'must be a URL')
  const issuer = c.issuer
  if (issuer !== undefined || issuerRequired) {
    if (!nonEmptyString(issuer) && !(isJsonObject(issuer) && nonEmptyString(issuer.id)))
      bad('issuer', 'must be a URL or an object with id')
  }
  checkObjects(c.credentialSubject, 'credentialSubject', 64, (s) => {
    if (s.id !== undefined && !nonEmptyString(s.id)) bad('credentialSubject.id', 'must be a URL')
  })
  // Entries are judged by parseCredentialStatus (jwt_vc.status_invalid), only the container here.
  if (c.credentialStatus !== undefined) checkObjects(c.credentialStatus, 'credentialStatus', 16)
  if (c.credentialSchema !== undefined)
    checkObjects(c.credentialSchema, 'credentialSchema', 16, (s) => {
      if (!nonEmptyString(s.id) || !nonEmptyString(s.type)) bad('credentialSchema', 'needs id and type')
    })
}

/** A presentation: 1.1 (`vp` claim, JWT strings) or 2.0 (`vp+jwt` payload, enveloped credentials). */
export const zPresentation = z.looseObject({
  '@context': z.array(zContextEntry).min(1).max(32),
  id: z.string().min(1).optional(),
  type: zTypes,
  holder: zIssuer.optional(),
  verifiableCredential: z.union([z.unknown(), z.array(z.unknown()).max(256)]).optional(),
})

/** The VCDM 2.0 §4.13 enveloped credential in a `vp+jwt` (VC-JOSE-COSE §3.1.2). */
export const zEnvelopedCredential = z.looseObject({
  '@context': z.union([z.string(), z.array(z.string())]),
  id: z.string().startsWith('data:application/vc+jwt,'),
  type: z.literal('EnvelopedVerifiableCredential'),
})

/** VCDM 2.0 §4: a credential (the `vc+jwt` payload). Throws `jwt_vc.credential_invalid`. */
export function parseCredentialV2(v: unknown): JsonObject {
  if (!isJsonObject(v)) bad('(root)', 'must be an object')
  checkCommon(v, VCDM2_CONTEXT, true)
  checkDate(v, 'validFrom')
  checkDate(v, 'validUntil')
  return v
}

/** VCDM 1.1 §6.3.1: the `vc` claim; members the registered claims may carry instead are optional. */
export function parseCredentialV1(v: unknown): JsonObject {
  if (!isJsonObject(v)) bad('(root)', 'must be an object')
  checkCommon(v, VCDM1_CONTEXT, false)
  checkDate(v, 'issuanceDate')
  checkDate(v, 'expirationDate')
  return v
}

export function parsePresentation(v: unknown, context: string): JsonObject {
  const p = parseWire(zPresentation, v, 'jwt_vc.presentation_invalid') as JsonObject
  if ((p['@context'] as JsonValue[])[0] !== context)
    throw new JwtVcError('jwt_vc.presentation_invalid', 'the first @context must be the base context of this version')
  if (!typesOf(p).includes('VerifiablePresentation'))
    throw new JwtVcError('jwt_vc.presentation_invalid', 'type must include VerifiablePresentation')
  return p
}

/** `type` as an array of strings. */
export function typesOf(o: JsonObject): string[] {
  const t = o.type
  return typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : []
}

/** `issuer` (or `holder`): a URL string, or an object with `id`. */
export function idOf(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : isJsonObject(v) && typeof v.id === 'string' ? v.id : undefined
}

/** The single `credentialSubject` object, or undefined when there are several. */
export function singleSubject(c: JsonObject): JsonObject | undefined {
  const s = c.credentialSubject
  return isJsonObject(s) ? s : Array.isArray(s) && s.length === 1 && isJsonObject(s[0]) ? s[0] : undefined
}

/** Seconds since the epoch of an RFC 3339 date-time (already validated). */
export function dateSeconds(s: JsonValue | undefined): number | undefined {
  return typeof s === 'string' ? Math.floor(Date.parse(s) / 1000) : undefined
}

/** A NumericDate as an XMLSchema dateTime (VCDM 1.1 §6.3.1 decoding), without milliseconds. */
export function isoSeconds(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString()
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z')
}
