import type { StatusChecker } from '@bonafide/core'
import { decodeJwsUnverified } from '@bonafide/jose'
import {
  type DidDocumentResolver,
  type JwtVcIssuerKeyPolicy,
  type VcVersion,
  type VerifiedJwtVc,
  verifyJwtVc,
  verifyJwtVp,
} from '@bonafide/jwt-vc'
import { Openid4vpError } from '../errors.js'
import type { PresentationValidator, ValidatedPresentation, ValidationContext } from '../validate.js'

export interface JwtVcJsonValidatorOptions {
  issuerKeys: JwtVcIssuerKeyPolicy
  statusChecker?: StatusChecker
  /** Reject presentations whose `iat` is older (seconds). */
  maxAgeSeconds?: number
  /** Data models accepted (default `1.1`, the jwt_vc_json profile; add `2.0` for vp+jwt / vc+jwt). */
  versions?: readonly VcVersion[]
  /** Resolves holder DIDs (default did:jwk and did:key). */
  didResolve?: DidDocumentResolver
}

/** A bare credential (no VP) is only acceptable when the query does not ask for holder binding. */
function isBareCredential(p: string): boolean {
  try {
    const { header, payload } = decodeJwsUnverified(p)
    return payload.vc !== undefined || String(header.typ).toLowerCase().endsWith('vc+jwt')
  } catch {
    return false
  }
}

function result(c: VerifiedJwtVc): ValidatedPresentation {
  // OpenID4VP B.1.2: claims path pointers apply to the root of the credential (["credentialSubject", …]).
  return { claims: c.credential, types: c.types, issuer: c.issuer, ...(c.status ? { status: c.status } : {}) }
}

/**
 * `jwt_vc_json` presentations (OpenID4VP 1.0 Appendix B.1.3.1): a VP JWT with `aud` = client_id and the
 * request `nonce` (B.1.3.1.5), one credential, issuer trust, holder binding (cnf.jwk or subject DID),
 * validity and status (reported, for validateVpToken to judge). `types` lets DCQL `meta.type_values` be re-checked.
 */
export function jwtVcJsonValidator(o: JwtVcJsonValidatorOptions): PresentationValidator {
  const versions = o.versions ?? ['1.1']
  const common = {
    issuerKeys: o.issuerKeys,
    versions,
    ...(o.statusChecker ? { statusChecker: o.statusChecker, statusPolicy: { mode: 'report' as const } } : {}),
  }
  return {
    format: 'jwt_vc_json',
    async validate(p: unknown, ctx: ValidationContext): Promise<ValidatedPresentation> {
      if (typeof p !== 'string') throw new Openid4vpError('openid4vp.format_mismatch', 'a jwt_vc_json presentation is a string')
      const binding = ctx.query.require_cryptographic_holder_binding
      if (!binding && isBareCredential(p)) return result(await verifyJwtVc(p, { ...common, clock: ctx.clock }))
      const r = await verifyJwtVp(p, {
        ...common,
        clock: ctx.clock,
        audience: ctx.clientId,
        nonce: ctx.nonce,
        requireHolderBinding: binding,
        ...(o.maxAgeSeconds !== undefined ? { maxAgeSeconds: o.maxAgeSeconds } : {}),
        ...(o.didResolve ? { didResolve: o.didResolve } : {}),
      })
      if (r.credentials.length !== 1)
        throw new Openid4vpError('openid4vp.vp_token_invalid', 'a jwt_vc_json presentation answers one query with one credential')
      return result(r.credentials[0] as VerifiedJwtVc)
    },
  }
}
