import {
  b64uEncode,
  type Clock,
  epochSeconds,
  type HashAlg,
  isJsonObject,
  type JsonObject,
  type RandomSource,
  systemClock,
  systemRandom,
} from '@bonafide/core'
import { jwkThumbprint, type PublicJwk, publicJwkMembers, type Signer } from '@bonafide/keys'
import type { ClaimPathInput } from '../claim-path.js'
import { SaltSource } from '../disclosure.js'
import { SdJwtVcError } from '../errors.js'
import { cachedFrame, type FrameNode } from '../frame.js'
import { prepareSdJwtPayload, signJwt } from '../issue.js'
import { joinCompact } from '../serialization.js'

const NO_PATHS: readonly ClaimPathInput[] = []

/** The `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-18 §3.2.1). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt'
export const LEGACY_SD_JWT_VC_TYP = 'vc+sd-jwt'

/** Claims the issuer sets and that are never selectively disclosable (§3.2.2.2). */
const NEVER_DISCLOSABLE = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'aka_vcts', 'status'])
/** Claims set from options, not from `claims`. */
const SET_BY_ISSUER = new Set([...NEVER_DISCLOSABLE, 'iat', '_sd', '_sd_alg'])

export interface SdJwtVcShared {
  signer: Signer
  /** Issuer identifier (`iss`): an HTTPS URL, a DID, or omitted when x5c conveys the issuer. */
  iss?: string
  vct: string
  vctIntegrity?: string
  akaVcts?: string[]
  /** Claims about the subject (and `sub`); registered claims the issuer sets are refused here. */
  claims: JsonObject
  disclosable?: readonly ClaimPathInput[]
  /** Credential lifetime in seconds, from `iat` (default: no `exp`). */
  validForSeconds?: number
  /** Absolute times, seconds (override the policy). */
  iat?: number
  nbf?: number
  exp?: number
  header?: { kid?: string; x5c?: string[] }
  hashAlg?: HashAlg
  decoys?: number
  clock?: Clock
  random?: RandomSource
}

export interface SdJwtVcEntry {
  holderKey?: PublicJwk
  /** e.g. `{ status_list: { idx, uri } }` from the status-list allocator. */
  status?: JsonObject
}

export type IssueSdJwtVcOptions = SdJwtVcShared & SdJwtVcEntry

/** RFC 9901 §10.1: timestamps in a batch are rounded (default: to the start of the UTC day) or randomized. */
export type TimestampPolicy =
  | { mode: 'round'; unitSeconds?: number }
  | { mode: 'randomize'; windowSeconds: number }
  | { mode: 'exact' }

export interface IssueSdJwtVcBatchOptions extends SdJwtVcShared {
  entries: readonly SdJwtVcEntry[]
  timestamps?: TimestampPolicy
  /** An id for the audit record (default random). */
  batchId?: string
}

/** What the issuer keeps about a batch; never part of the credentials. */
export interface SdJwtVcBatchAudit {
  readonly batchId: string
  /** The real issuance time (seconds), unlike the rounded `iat` in the credentials. */
  readonly issuedAt: number
  readonly count: number
  readonly vct: string
  readonly holderKeyThumbprints: readonly (string | undefined)[]
  readonly statusReferences: readonly (JsonObject | undefined)[]
}

interface Prepared {
  frame: FrameNode
  header: JsonObject
  base: JsonObject
}

function validateShared(o: SdJwtVcShared): Prepared {
  if (typeof o.vct !== 'string' || o.vct.length === 0)
    throw new SdJwtVcError('sd_jwt_vc.claim_invalid', 'vct must be a non-empty string')
  if (o.iss !== undefined && (typeof o.iss !== 'string' || o.iss.length === 0))
    throw new SdJwtVcError('sd_jwt_vc.claim_invalid', 'iss must be a non-empty string')
  if (!isJsonObject(o.claims)) throw new SdJwtVcError('sd_jwt_vc.claim_invalid', 'claims must be an object')
  for (const k of Object.keys(o.claims)) {
    if (SET_BY_ISSUER.has(k))
      throw new SdJwtVcError('sd_jwt_vc.claim_invalid', `claim ${k} is set by the issuer options, not in claims`)
  }
  const frame = cachedFrame(o.disclosable ?? NO_PATHS)
  for (const name of NEVER_DISCLOSABLE) {
    const n = frame.children.get(name)
    if (n) {
      throw new SdJwtVcError(
        'sd_jwt_vc.claim_not_disclosable',
        `${name}${n.sd ? '' : ' (or a claim inside it)'} may never be selectively disclosable`,
      )
    }
  }
  const header: JsonObject = { typ: SD_JWT_VC_TYP }
  if (o.header?.kid) header.kid = o.header.kid
  if (o.header?.x5c) header.x5c = o.header.x5c
  const base: JsonObject = { vct: o.vct }
  if (o.iss) base.iss = o.iss
  if (o.vctIntegrity) base['vct#integrity'] = o.vctIntegrity
  if (o.akaVcts?.length) base.aka_vcts = o.akaVcts
  return { frame, header, base }
}

function times(o: SdJwtVcShared, policy: TimestampPolicy, now: number, random: RandomSource): JsonObject {
  let iat = o.iat ?? now
  if (o.iat === undefined) {
    if (policy.mode === 'round') {
      const unit = policy.unitSeconds ?? 86_400
      iat = Math.floor(now / unit) * unit
    } else if (policy.mode === 'randomize') {
      const r = random.bytes(4)
      iat = now - ((((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 0) % Math.max(1, policy.windowSeconds))
    }
  }
  const t: JsonObject = { iat }
  if (o.nbf !== undefined) t.nbf = o.nbf
  const exp = o.exp ?? (o.validForSeconds !== undefined ? iat + o.validForSeconds : undefined)
  if (exp !== undefined) t.exp = exp
  return t
}

async function issueOne(
  o: SdJwtVcShared,
  p: Prepared,
  e: SdJwtVcEntry,
  t: JsonObject,
  salts: SaltSource,
  random: RandomSource,
): Promise<string> {
  const prepared = prepareSdJwtPayload(o.claims, p.frame, {
    hashAlg: o.hashAlg ?? 'sha-256',
    salts,
    decoys: o.decoys ?? 0,
    random,
  })
  const payload: JsonObject = { ...prepared.payload, ...p.base, ...t }
  if (e.holderKey) payload.cnf = { jwk: publicJwkMembers(e.holderKey) as unknown as JsonObject }
  if (e.status) payload.status = e.status
  if (prepared.disclosures.length > 0) payload._sd_alg = o.hashAlg ?? 'sha-256'
  const jwt = await signJwt(p.header, payload, o.signer)
  return joinCompact(
    jwt,
    prepared.disclosures.map((d) => d.encoded),
  )
}

/**
 * Issue one SD-JWT VC (`typ` dc+sd-jwt).
 * @example
 * const vc = await issueSdJwtVc({ signer, iss, vct: 'urn:eudi:pid:1', claims, disclosable: ['given_name'], holderKey })
 */
export async function issueSdJwtVc(o: IssueSdJwtVcOptions): Promise<string> {
  const p = validateShared(o)
  const random = o.random ?? systemRandom
  const now = epochSeconds(o.clock ?? systemClock)
  return issueOne(o, p, o, times(o, { mode: 'exact' }, now, random), SaltSource.for(random), random)
}

/**
 * Issue a batch: the same claims for every entry, each with its own holder key, fresh salts and
 * its own status reference; timestamps rounded by default (RFC 9901 §10.1). Validation happens
 * once, before anything is signed; an invalid entry is named by its index.
 */
export async function issueSdJwtVcBatch(
  o: IssueSdJwtVcBatchOptions,
): Promise<{ credentials: string[]; audit: SdJwtVcBatchAudit }> {
  const p = validateShared(o)
  if (!Array.isArray(o.entries) || o.entries.length === 0)
    throw new SdJwtVcError('sd_jwt_vc.batch_entry_invalid', 'a batch needs at least one entry')
  const seen = new Set<string>()
  const thumbprints = o.entries.map((e, i) => {
    if (e.status !== undefined && !isJsonObject(e.status)) {
      throw new SdJwtVcError('sd_jwt_vc.batch_entry_invalid', `entry ${i}: status must be an object`, { details: { index: i } })
    }
    if (!e.holderKey) return undefined
    const t = jwkThumbprint(e.holderKey)
    if (seen.has(t))
      throw new SdJwtVcError('sd_jwt_vc.batch_entry_invalid', `entry ${i}: holder key repeats an earlier entry`, {
        details: { index: i },
      })
    seen.add(t)
    return t
  })
  const random = o.random ?? systemRandom
  const now = epochSeconds(o.clock ?? systemClock)
  const policy = o.timestamps ?? { mode: 'round' }
  const salts = SaltSource.for(random)
  const credentials: string[] = []
  for (const e of o.entries) credentials.push(await issueOne(o, p, e, times(o, policy, now, random), salts, random))
  return {
    credentials,
    audit: {
      batchId: o.batchId ?? b64uEncode(random.bytes(16)),
      issuedAt: now,
      count: credentials.length,
      vct: o.vct,
      holderKeyThumbprints: thumbprints,
      statusReferences: o.entries.map((e) => e.status),
    },
  }
}
