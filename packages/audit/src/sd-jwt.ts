import { isJsonObject, type JsonValue } from '@bonafide/core'
import { type DecodedSdJwt, decodeSdJwt, LEGACY_SD_JWT_VC_TYP, SD_JWT_LIMITS, SD_JWT_VC_TYP } from '@bonafide/sd-jwt'
import { cnfKey, type FingerprintDraft, identifiers, jwtTimes, tokenStatus } from './claims.js'
import { AUDIT_LIMITS } from './detect.js'
import { invalidCopy } from './errors.js'
import type { Fingerprint } from './model.js'

const LIMITS = { ...SD_JWT_LIMITS, maxLength: AUDIT_LIMITS.maxCopyBytes }

/** Every digest an issued SD-JWT carries (RFC 9901 §4.2.4): `_sd` entries and `{"...": d}` array elements, decoys included. */
function collectDigests(v: JsonValue, out: string[], depth = 0): void {
  if (depth > LIMITS.maxDepth) return
  if (Array.isArray(v)) {
    for (const el of v) {
      if (isJsonObject(el) && typeof el['...'] === 'string' && Object.keys(el).length === 1) out.push(el['...'])
      else collectDigests(el, out, depth + 1)
    }
  } else if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '_sd' && Array.isArray(x)) for (const d of x) typeof d === 'string' && out.push(d)
      else collectDigests(x, out, depth + 1)
    }
  }
}

function decode(token: string, index: number): DecodedSdJwt {
  let d: DecodedSdJwt
  try {
    d = decodeSdJwt(token.trim(), LIMITS)
  } catch (cause) {
    throw invalidCopy(index, cause, 'not a well-formed SD-JWT')
  }
  if (d.kbJwt) throw invalidCopy(index, undefined, 'a presentation (KB-JWT) is not an issued copy')
  const typ = d.jwt.header.typ
  if (typ !== SD_JWT_VC_TYP && typ !== LEGACY_SD_JWT_VC_TYP) throw invalidCopy(index, undefined, 'typ must be dc+sd-jwt')
  return d
}

function pathLabel(path: readonly (string | number | null)[]): string {
  return path.map((p) => (p === null ? '*' : String(p))).join('.')
}

/** What one SD-JWT VC copy exposes: times, cnf, salts and digests, status, identifiers. Signatures are not checked. */
export function sdJwtFingerprint(token: string, index: number): Fingerprint {
  const d = decode(token, index)
  const p = d.jwt.payload
  if (typeof p.vct !== 'string' || p.vct.length === 0) throw invalidCopy(index, undefined, 'vct must be a non-empty string')
  if (p.iss !== undefined && typeof p.iss !== 'string') throw invalidCopy(index, undefined, 'iss must be a string')
  const labels = new Map(d.paths.map((x) => [x.disclosure.digest, pathLabel(x.path)]))
  const digests: string[] = []
  collectDigests(p, digests)
  for (const x of d.disclosures) collectDigests(x.value, digests)
  const fp: FingerprintDraft = {
    format: 'sd-jwt-vc',
    type: JSON.stringify([p.iss ?? null, p.vct]),
    signed: d.parts.jwt,
    timestamps: jwtTimes(p, index),
    salts: d.disclosures.map((x) => ({ field: 'disclosure salt', label: labels.get(x.digest) ?? '?', value: x.salt })),
    digests: digests.map((value) => ({ field: '_sd digest', value })),
    digestCount: { digests: digests.length, disclosures: d.disclosures.length },
    status: tokenStatus(p.status, index),
    // `sub` may itself be selectively disclosable: the processed claims hold it either way.
    identifiers: identifiers(
      [
        ['jti', p.jti],
        ['sub', d.claims.sub],
      ],
      index,
    ),
  }
  const key = cnfKey(p, index)
  if (key) fp.holderKey = key
  return fp
}
