import { isJsonObject, type JsonObject } from '@bonafide/core'
import { type ParsedJws, parseCompactJws } from '@bonafide/jose'
import { type DecodedJwtVc, decodeJwtVcPayload } from '@bonafide/jwt-vc'
import { parseStatusReference } from '@bonafide/status-list'
import { cnfKey, type FingerprintDraft, identifiers, jwtTimes } from './claims.js'
import { AUDIT_LIMITS } from './detect.js'
import { invalidCopy } from './errors.js'
import type { Fingerprint } from './model.js'

function decode(token: string, index: number): { jws: ParsedJws; vc: DecodedJwtVc } {
  try {
    const jws = parseCompactJws(token.trim(), { maxLength: AUDIT_LIMITS.maxCopyBytes })
    return { jws, vc: decodeJwtVcPayload(jws.header, jws.payload) }
  } catch (cause) {
    throw invalidCopy(index, cause, 'not a well-formed W3C VC as JWT')
  }
}

/** W3C `credentialStatus` entries (Bitstring Status List v1.0 §2.1): one list per status list credential. */
function bitstringStatus(credential: JsonObject, index: number): Fingerprint['status'] {
  const s = credential.credentialStatus
  if (s === undefined) return []
  const out: { field: string; list: string; index: number }[] = []
  for (const e of Array.isArray(s) ? s : [s]) {
    // Entries of other mechanisms carry no index this audit can compare.
    if (!isJsonObject(e) || (e.type !== 'BitstringStatusListEntry' && e.type !== 'StatusList2021Entry')) continue
    try {
      const r = parseStatusReference(e)
      if (r.kind === 'bitstring') out.push({ field: 'credentialStatus.statusListIndex', list: r.credential, index: r.index })
    } catch (cause) {
      throw invalidCopy(index, cause, 'credentialStatus is malformed')
    }
  }
  return out
}

/** VCDM 2.0 `validFrom`/`validUntil`; VCDM 1.1 dates only when no JWT claim carries them (they are mapped). */
function times(vc: DecodedJwtVc, payload: JsonObject, index: number): Fingerprint['timestamps'] {
  const t = [...jwtTimes(payload, index)]
  const from = vc.version === '2.0' ? 'validFrom' : 'vc.issuanceDate'
  const until = vc.version === '2.0' ? 'validUntil' : 'vc.expirationDate'
  if (vc.validFrom !== undefined && (vc.version === '2.0' || payload.nbf === undefined))
    t.push({ field: from, seconds: vc.validFrom })
  if (vc.validUntil !== undefined && (vc.version === '2.0' || payload.exp === undefined))
    t.push({ field: until, seconds: vc.validUntil })
  return t
}

/** What one JWT-VC copy exposes: times, cnf, status entries and identifiers. Signatures are not checked. */
export function jwtVcFingerprint(token: string, index: number): Fingerprint {
  const { jws, vc } = decode(token, index)
  const p = jws.payload
  const idField = vc.version === '2.0' ? 'id' : 'vc.id'
  const fp: FingerprintDraft = {
    format: 'jwt-vc',
    type: JSON.stringify([vc.version, vc.issuer, [...vc.types].sort()]),
    signed: jws.raw,
    timestamps: times(vc, p, index),
    salts: [],
    digests: [],
    status: bitstringStatus(vc.credential, index),
    identifiers: identifiers(
      [
        ['jti', p.jti],
        [idField, vc.credential.id],
        ['sub', p.sub],
        ['credentialSubject.id', vc.subjectId],
      ],
      index,
    ),
  }
  const key = cnfKey(p, index)
  if (key) fp.holderKey = key
  return fp
}
