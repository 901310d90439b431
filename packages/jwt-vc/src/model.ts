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

const zDateTime = z.string().refine((s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'not an RFC 3339 date-time')
const zContextEntry = z.union([z.string().min(1), z.looseObject({})])
const zTypes = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(64)])
const zIssuer = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })])
const zSubject = z.looseObject({ id: z.string().min(1).optional() })
const zSubjects = z.union([zSubject, z.array(zSubject).min(1).max(64)])
// Entries are judged by parseCredentialStatus (jwt_vc.status_invalid), not here.
const zStatusEntry = z.looseObject({})
const zStatus = z.union([zStatusEntry, z.array(zStatusEntry).min(1).max(16)])
const zSchemaRef = z.looseObject({ id: z.string().min(1), type: z.string().min(1) })

const common = {
  id: z.string().min(1).optional(),
  type: zTypes,
  credentialSubject: zSubjects,
  credentialStatus: zStatus.optional(),
  credentialSchema: z.union([zSchemaRef, z.array(zSchemaRef).min(1)]).optional(),
}

/** VCDM 2.0 §4: a credential (the `vc+jwt` payload). */
export const zCredentialV2 = z.looseObject({
  '@context': z.array(zContextEntry).min(1).max(32),
  ...common,
  issuer: zIssuer,
  validFrom: zDateTime.optional(),
  validUntil: zDateTime.optional(),
})

/** VCDM 1.1 §6.3.1: the `vc` claim; members the registered claims may carry instead are optional. */
export const zCredentialV1 = z.looseObject({
  '@context': z.array(zContextEntry).min(1).max(32),
  ...common,
  issuer: zIssuer.optional(),
  issuanceDate: zDateTime.optional(),
  expirationDate: zDateTime.optional(),
})

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

export function parseCredentialV2(v: unknown): JsonObject {
  const c = parseWire(zCredentialV2, v, 'jwt_vc.credential_invalid') as JsonObject
  checkBase(c, VCDM2_CONTEXT, 'VerifiableCredential')
  return c
}

export function parseCredentialV1(v: unknown): JsonObject {
  const c = parseWire(zCredentialV1, v, 'jwt_vc.credential_invalid') as JsonObject
  checkBase(c, VCDM1_CONTEXT, 'VerifiableCredential')
  return c
}

export function parsePresentation(v: unknown, context: string): JsonObject {
  const p = parseWire(zPresentation, v, 'jwt_vc.presentation_invalid') as JsonObject
  if ((p['@context'] as JsonValue[])[0] !== context)
    throw new JwtVcError('jwt_vc.presentation_invalid', 'the first @context must be the base context of this version')
  if (!typesOf(p).includes('VerifiablePresentation'))
    throw new JwtVcError('jwt_vc.presentation_invalid', 'type must include VerifiablePresentation')
  return p
}

/** VCDM 1.1 §4.1 / 2.0 §4.3: the base context comes first; §4.4 (2.0) / §4.3 (1.1): type includes the base type. */
function checkBase(c: JsonObject, context: string, type: string): void {
  if ((c['@context'] as JsonValue[])[0] !== context)
    throw new JwtVcError('jwt_vc.credential_invalid', 'the first @context must be the base context of this version')
  if (!typesOf(c).includes(type)) throw new JwtVcError('jwt_vc.credential_invalid', `type must include ${type}`)
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
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
