import {
  type Clock,
  type CredentialStatusResult,
  isJsonObject,
  type JsonObject,
  type StatusChecker,
  systemClock,
} from '@bonafide/core'
import type { JwsHeader } from '@bonafide/jose'
import { SdJwtVcError } from '../errors.js'
import { type KbPolicy, type VerifiedSdJwt, type VerifySdJwtOptions, verifySdJwt } from '../verify.js'
import { LEGACY_SD_JWT_VC_TYP, SD_JWT_VC_TYP } from './issue.js'
import { createIssuerKeyResolver, type IssuerKeyPolicy } from './issuer-keys.js'
import { type ResolvedTypeMetadata, resolveTypeMetadata, type TypeMetadataOptions } from './type-metadata.js'

export interface VerifySdJwtVcOptions {
  issuerKeys: IssuerKeyPolicy
  kb?: KbPolicy
  clock?: Clock
  skewSeconds?: number
  /** Accept the pre-2024 `vc+sd-jwt` typ. */
  allowLegacyTyp?: boolean
  /** Checks `status` when present (Token Status List, …). */
  statusChecker?: StatusChecker
  /** 'reject' (default): revoked/suspended throw; undetermined is reported unless `rejectUndetermined`. 'report': never throw on status. */
  statusPolicy?: { mode?: 'reject' | 'report'; rejectUndetermined?: boolean }
  /** Resolve and check Type Metadata (off unless given). */
  typeMetadata?: TypeMetadataOptions & { required?: boolean }
}

export interface VerifiedSdJwtVc extends VerifiedSdJwt {
  readonly iss?: string
  readonly vct: string
  readonly status?: CredentialStatusResult
  readonly typeMetadata?: ResolvedTypeMetadata
}

/** A cache of resolvers per policy object, so keys and chains are imported once per verifier. */
const resolvers = new WeakMap<IssuerKeyPolicy, ReturnType<typeof createIssuerKeyResolver>>()

function checkHeaderAndClaims(header: JwsHeader, payload: JsonObject, allowLegacy: boolean): void {
  if (header.typ !== SD_JWT_VC_TYP && !(allowLegacy && header.typ === LEGACY_SD_JWT_VC_TYP)) {
    throw new SdJwtVcError('sd_jwt_vc.typ_invalid', 'typ must be dc+sd-jwt')
  }
  if (typeof payload.vct !== 'string' || payload.vct.length === 0)
    throw new SdJwtVcError('sd_jwt_vc.claim_missing', 'vct is required')
  if (payload.iss !== undefined && typeof payload.iss !== 'string')
    throw new SdJwtVcError('sd_jwt_vc.claim_invalid', 'iss must be a string')
  if (payload.status !== undefined && !isJsonObject(payload.status))
    throw new SdJwtVcError('sd_jwt_vc.claim_invalid', 'status must be an object')
}

function applyStatus(s: CredentialStatusResult, o: VerifySdJwtVcOptions): void {
  if (o.statusPolicy?.mode === 'report') return
  if (s.state === 'invalid')
    throw new SdJwtVcError('sd_jwt_vc.status_revoked', 'the credential is revoked', { details: { status: s } })
  if (s.state === 'suspended')
    throw new SdJwtVcError('sd_jwt_vc.status_suspended', 'the credential is suspended', { details: { status: s } })
  if (s.state === 'undetermined' && o.statusPolicy?.rejectUndetermined) {
    throw new SdJwtVcError('sd_jwt_vc.status_undetermined', 'the credential status could not be determined', {
      details: { status: s },
    })
  }
}

/**
 * Verify an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-18 §4): RFC 9901 processing, `typ`, `vct`,
 * issuer key by policy, validity with an injected clock, optional KB, status and type metadata.
 * Never-disclosable claims (`iss`, `vct`, `cnf`, …) are read from the signed payload only.
 */
export async function verifySdJwtVc(token: string, o: VerifySdJwtVcOptions): Promise<VerifiedSdJwtVc> {
  const clock = o.clock ?? systemClock
  let resolver = resolvers.get(o.issuerKeys)
  if (!resolver) resolvers.set(o.issuerKeys, (resolver = createIssuerKeyResolver(o.issuerKeys, () => systemClock.now())))
  // The resolver is shared per policy; the time for x5c validity and metadata caching is this call's clock.
  const nowMs = () => clock.now()
  const vo: VerifySdJwtOptions = {
    issuerKey: (header, payload) => {
      checkHeaderAndClaims(header, payload, o.allowLegacyTyp === true)
      return resolver(header, payload, nowMs)
    },
    clock,
  }
  if (o.kb) vo.kb = o.kb
  if (o.skewSeconds !== undefined) vo.skewSeconds = o.skewSeconds
  const r = await verifySdJwt(token, vo)
  for (const p of r.paths) {
    const top = p.path[0]
    if (
      p.path.length === 1 &&
      (top === 'iss' || top === 'vct' || top === 'cnf' || top === 'status' || top === 'exp' || top === 'nbf')
    ) {
      throw new SdJwtVcError('sd_jwt_vc.claim_not_disclosable', 'a never-disclosable claim was selectively disclosed')
    }
  }
  const vct = r.payload.vct as string
  let status: CredentialStatusResult | undefined
  if (r.payload.status !== undefined && o.statusChecker) {
    status = await o.statusChecker.check(r.payload.status, { now: clock.now() })
    applyStatus(status, o)
  }
  let typeMetadata: ResolvedTypeMetadata | undefined
  if (o.typeMetadata) {
    const integrity = typeof r.payload['vct#integrity'] === 'string' ? r.payload['vct#integrity'] : undefined
    try {
      typeMetadata = await resolveTypeMetadata(vct, integrity, o.typeMetadata)
    } catch (e) {
      if (o.typeMetadata.required || (e as SdJwtVcError).code === 'sd_jwt_vc.type_metadata_integrity') throw e
    }
  }
  // Field by field: spreading an object and then adding members is slow in V8.
  const out: { -readonly [K in keyof VerifiedSdJwtVc]: VerifiedSdJwtVc[K] } = {
    header: r.header,
    payload: r.payload,
    claims: r.claims,
    disclosures: r.disclosures,
    paths: r.paths,
    vct,
  }
  if (r.kb) out.kb = r.kb
  if (typeof r.payload.iss === 'string') out.iss = r.payload.iss
  if (status) out.status = status
  if (typeMetadata) out.typeMetadata = typeMetadata
  return out
}
