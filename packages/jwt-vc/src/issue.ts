import { randomUUID } from 'node:crypto'
import {
  b64uEncode,
  type Clock,
  epochSeconds,
  hexEncode,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { createDidJwk, createDidKey } from '@bonafide/did'
import { signCompactJws } from '@bonafide/jose'
import { jwkThumbprint, type PublicJwk, publicJwkMembers, type Signer } from '@bonafide/keys'
import { JwtVcError } from './errors.js'
import { idOf, isoSeconds, JWT_TYP, VC_JWT_TYP, VCDM1_CONTEXT, VCDM2_CONTEXT, type VcVersion } from './model.js'

/** The injected schema check (e.g. JSON Schema from `credentialSchema`); issuance refuses when not valid. */
export type SchemaValidator = (credential: JsonObject) => {
  valid: boolean
  errors: readonly { path: string; message: string }[]
}

export interface JwtVcShared {
  signer: Signer
  /** `1.1`: VCDM 1.1 as JWT (`vc` claim, typ JWT; the `jwt_vc_json` format). `2.0`: `vc+jwt`. Default `1.1`. */
  version?: VcVersion
  /** The unsecured credential: `credentialSubject`, `type` and any other members (no `proof`). */
  credential: JsonObject
  /** The issuer (a URL or DID, or an object with `id`); else `credential.issuer`. */
  issuer?: string | JsonObject
  /** Header `kid` (default for did:jwk / did:key issuers: their one verification method). */
  kid?: string
  x5c?: string[]
  /** Lifetime from issuance, in seconds (sets validUntil / expirationDate and `exp`). */
  validForSeconds?: number
  validateSchema?: SchemaValidator
  clock?: Clock
  random?: RandomSource
}

/** What differs per credential of a batch. */
export interface JwtVcEntry {
  /** The holder's key, bound as `cnf.jwk` (RFC 7800). */
  holderKey?: PublicJwk
  /** The holder's identifier (a DID), set as `credentialSubject.id` (and `sub` in 1.1). */
  subjectId?: string
  /** This credential's own status entry (see `bitstringStatusEntry`). */
  credentialStatus?: JsonObject | readonly JsonObject[]
}

export interface IssueJwtVcOptions extends JwtVcShared, JwtVcEntry {
  /** The credential `id` (`jti`): a URL, `false` for none; default a fresh `urn:uuid:`. */
  id?: string | false
}

export interface IssueJwtVcBatchOptions extends JwtVcShared {
  entries: readonly JwtVcEntry[]
  batchId?: string
  /**
   * Round the issuance time down to this many seconds (default 86,400: the day), so that the copies of a batch do
   * not share one exact-second `iat`/`nbf`/`exp` that links them (RFC 9901 §10.1 gives the same advice for
   * SD-JWT; the SD-JWT VC and mdoc issuers round to the day too). 1 keeps the exact second.
   */
  roundSeconds?: number
}

export interface JwtVcBatchAudit {
  readonly batchId: string
  readonly issuedAt: number
  readonly count: number
  readonly ids: readonly string[]
  readonly holderKeyThumbprints: readonly (string | undefined)[]
  readonly statusReferences: readonly (JsonValue | undefined)[]
}

interface Built {
  header: JsonObject
  credential: JsonObject
  claims: JsonObject
  v2: boolean
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new JwtVcError('jwt_vc.options_invalid', message, details ? { details } : undefined)
}

/** A fresh `urn:uuid:` (RFC 9562 version 4) from the injected randomness (default: node:crypto's pooled randomUUID). */
export function randomUrnUuid(random?: RandomSource): string {
  if (!random || random === systemRandom) return `urn:uuid:${randomUUID()}`
  const b = random.bytes(16)
  b[6] = ((b[6] as number) & 0x0f) | 0x40
  b[8] = ((b[8] as number) & 0x3f) | 0x80
  const h = hexEncode(b)
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A DID for a holder key (to put in `credentialSubject.id`): did:jwk, or did:key (P-256, Ed25519). */
export function didForKey(jwk: PublicJwk, method: 'did:jwk' | 'did:key' = 'did:jwk'): string {
  return method === 'did:key' ? createDidKey(jwk) : createDidJwk(jwk)
}

/** did:jwk has one method `#0`; did:key one named by its multibase value. */
function defaultKid(issuer: string): string | undefined {
  if (issuer.startsWith('did:jwk:')) return `${issuer}#0`
  if (issuer.startsWith('did:key:')) return `${issuer}#${issuer.slice('did:key:'.length)}`
  return undefined
}

function contextFor(c: JsonObject, base: string): JsonValue[] {
  const ctx = c['@context']
  if (ctx === undefined) return [base]
  if (!Array.isArray(ctx) || ctx[0] !== base) fail('@context must be an array starting with the base context')
  return ctx
}

function typeFor(c: JsonObject): JsonValue[] {
  const t = c.type === undefined ? [] : Array.isArray(c.type) ? c.type : [c.type]
  if (!t.every((x) => typeof x === 'string' && x.length > 0)) fail('type must be strings')
  return t.includes('VerifiableCredential') ? t : ['VerifiableCredential', ...t]
}

function subjectFor(c: JsonObject, subjectId: string | undefined): JsonValue {
  const s = c.credentialSubject
  if (!isJsonObject(s) && !(Array.isArray(s) && s.length > 0 && s.every(isJsonObject)))
    fail('credentialSubject must be an object or a non-empty array of objects')
  if (subjectId === undefined) return s
  if (!isJsonObject(s)) fail('subjectId needs a single credentialSubject')
  return { id: subjectId, ...s }
}

/** Build the unsecured credential and the JWT claims set (VCDM 1.1 §6.3.1 encoding, or VC-JOSE-COSE §3.1.1). */
const OWN = new Set(['@context', 'id', 'type', 'issuer', 'credentialSubject', 'credentialStatus'])

/**
 * Build the unsecured credential and the JWT claims set (VCDM 1.1 §6.3.1 encoding, or VC-JOSE-COSE §3.1.1).
 * Objects are filled by assignment, in the data model's member order (this runs once per credential).
 */
function build(o: JwtVcShared, e: JwtVcEntry, id: string | undefined, now: number): Built {
  const v2 = o.version === '2.0'
  const c = o.credential
  if (!isJsonObject(c)) fail('credential must be an object')
  if (c.proof !== undefined) fail('credential must not carry a proof')
  const issuer = (o.issuer ?? c.issuer) as JsonValue
  const iss = idOf(issuer)
  if (!iss) fail('an issuer (a URL or DID, or an object with id) is required')
  let until: number | undefined
  if (o.validForSeconds !== undefined) {
    if (!Number.isInteger(o.validForSeconds) || o.validForSeconds <= 0) fail('validForSeconds must be a positive integer')
    until = now + o.validForSeconds
  }
  const credential: JsonObject = { '@context': contextFor(c, v2 ? VCDM2_CONTEXT : VCDM1_CONTEXT) }
  if (id !== undefined) credential.id = id
  credential.type = typeFor(c)
  credential.issuer = issuer
  for (const k in c) if (!OWN.has(k)) credential[k] = c[k] as JsonValue
  credential.credentialSubject = subjectFor(c, e.subjectId)
  const status = e.credentialStatus ?? c.credentialStatus
  if (status !== undefined) credential.credentialStatus = status as JsonValue
  const header: JsonObject = { typ: v2 ? VC_JWT_TYP : JWT_TYP }
  if (v2) header.cty = 'vc'
  const kid = o.kid ?? defaultKid(iss)
  if (kid) header.kid = kid
  if (o.x5c) header.x5c = o.x5c
  const claims: JsonObject = { iss }
  if (v2) {
    if (c.vc !== undefined || c.vp !== undefined) fail('the vc and vp claims are reserved (VC-JOSE-COSE §3.1.3)')
    credential.validFrom ??= isoSeconds(now)
    if (until !== undefined) credential.validUntil = isoSeconds(until)
  } else {
    let nbf = now
    if (credential.issuanceDate === undefined) credential.issuanceDate = isoSeconds(now)
    else if (Number.isNaN((nbf = Math.floor(Date.parse(String(credential.issuanceDate)) / 1000))))
      fail('issuanceDate must be an RFC 3339 date-time')
    if (until !== undefined) credential.expirationDate = isoSeconds(until)
    const sub = isJsonObject(credential.credentialSubject) ? credential.credentialSubject.id : undefined
    if (typeof sub === 'string') claims.sub = sub
    if (id !== undefined) claims.jti = id
    claims.nbf = nbf
  }
  claims.iat = now
  if (until !== undefined) claims.exp = until
  if (e.holderKey) claims.cnf = { jwk: publicJwkMembers(e.holderKey) as unknown as JsonObject }
  return { header, credential, claims, v2 }
}

/** The JWT claims set: the credential itself plus JWT claims (2.0, after the schema check), or the `vc` claim (1.1). */
function payloadOf(b: Built): JsonObject {
  if (!b.v2) {
    b.claims.vc = b.credential
    return b.claims
  }
  return Object.assign(b.credential, b.claims)
}

function checkSchema(o: JwtVcShared, credential: JsonObject, index?: number): void {
  if (!o.validateSchema) return
  const r = o.validateSchema(credential)
  if (!r.valid)
    throw new JwtVcError('jwt_vc.schema_invalid', 'the credential does not match its schema', {
      details: { errors: r.errors.map((x) => ({ path: x.path, message: x.message })), ...(index !== undefined ? { index } : {}) },
    })
}

/**
 * Issue one W3C VC as a JWT: VCDM 1.1 (`vc` claim, registered claims mapped from the credential) or
 * VCDM 2.0 secured with VC-JOSE-COSE (`typ` vc+jwt, the credential as the payload).
 * @example
 * const jwt = await issueJwtVc({ signer, issuer: did, credential: { type: ['VerifiableCredential', 'UniversityDegreeCredential'], credentialSubject: { degree: 'MSc' } }, holderKey })
 */
export async function issueJwtVc(o: IssueJwtVcOptions): Promise<string> {
  const now = epochSeconds(o.clock ?? systemClock)
  const id = o.id === false ? undefined : (o.id ?? idOf(o.credential?.id) ?? randomUrnUuid(o.random))
  const b = build(o, o, id, now)
  checkSchema(o, b.credential)
  return signCompactJws(b.header, payloadOf(b), o.signer)
}

function statusKey(s: JsonValue | undefined): string[] {
  const list = s === undefined ? [] : Array.isArray(s) ? s : [s]
  return list.map((x) =>
    isJsonObject(x) ? `${String(x.statusListCredential)} ${String(x.statusListIndex)} ${String(x.statusPurpose)}` : '',
  )
}

/**
 * Issue a batch: the same credential for every entry, each with its own holder key, a fresh `id`/`jti`
 * and its own status entry (supplied by the caller). Everything is built and checked before anything is signed.
 */
export async function issueJwtVcBatch(o: IssueJwtVcBatchOptions): Promise<{ credentials: string[]; audit: JwtVcBatchAudit }> {
  if (!Array.isArray(o.entries) || o.entries.length === 0 || o.entries.length > 10_000)
    throw new JwtVcError('jwt_vc.batch_entry_invalid', 'a batch needs 1 to 10,000 entries')
  if (isJsonObject(o.credential) && (o.credential.id !== undefined || o.credential.credentialStatus !== undefined))
    throw new JwtVcError('jwt_vc.batch_entry_invalid', 'id and credentialStatus differ per credential: give them per entry')
  const random = o.random ?? systemRandom
  const unit = o.roundSeconds ?? 86_400
  if (!Number.isSafeInteger(unit) || unit < 1)
    throw new JwtVcError('jwt_vc.batch_entry_invalid', 'roundSeconds must be a whole number ≥ 1')
  const now = Math.floor(epochSeconds(o.clock ?? systemClock) / unit) * unit
  const seenKeys = new Set<string>()
  const seenStatus = new Set<string>()
  const built = o.entries.map((e, index) => {
    const bad = (m: string) => new JwtVcError('jwt_vc.batch_entry_invalid', `entry ${index}: ${m}`, { details: { index } })
    const thumbprint = e.holderKey ? jwkThumbprint(e.holderKey) : undefined
    if (thumbprint && seenKeys.has(thumbprint)) throw bad('holder key repeats an earlier entry')
    if (thumbprint) seenKeys.add(thumbprint)
    for (const k of statusKey(e.credentialStatus as JsonValue | undefined)) {
      if (seenStatus.has(k)) throw bad('status entry repeats an earlier entry')
      seenStatus.add(k)
    }
    const id = randomUrnUuid(random)
    const b = build(o, e, id, now)
    checkSchema(o, b.credential, index)
    return { ...b, id, thumbprint }
  })
  const credentials: string[] = []
  for (const b of built) credentials.push(await signCompactJws(b.header, payloadOf(b), o.signer))
  return {
    credentials,
    audit: {
      batchId: o.batchId ?? b64uEncode(random.bytes(16)),
      issuedAt: now,
      count: credentials.length,
      ids: built.map((b) => b.id),
      holderKeyThumbprints: built.map((b) => b.thumbprint),
      statusReferences: o.entries.map((e) => e.credentialStatus as JsonValue | undefined),
    },
  }
}
