import type { StatusChecker } from '@bonafide/core'
import { type IssuerKeyPolicy, verifySdJwtVc } from '@bonafide/sd-jwt'
import { Openid4vpError } from '../errors.js'
import type { PresentationValidator, ValidatedPresentation, ValidationContext } from '../validate.js'

/** `dc+sd-jwt` presentations (OpenID4VP Appendix B.3): issuer trust, KB-JWT with aud = client_id, nonce, sd_hash, iat, transaction data, status. */
export function sdJwtVcValidator(o: {
  issuerKeys: IssuerKeyPolicy
  statusChecker?: StatusChecker
  maxAgeSeconds?: number
}): PresentationValidator {
  return {
    format: 'dc+sd-jwt',
    async validate(p: unknown, ctx: ValidationContext): Promise<ValidatedPresentation> {
      if (typeof p !== 'string') throw new Openid4vpError('openid4vp.format_mismatch', 'a dc+sd-jwt presentation is a string')
      const r = await verifySdJwtVc(p, {
        issuerKeys: o.issuerKeys,
        clock: ctx.clock,
        kb: {
          required: ctx.query.require_cryptographic_holder_binding,
          aud: ctx.clientId,
          nonce: ctx.nonce,
          ...(o.maxAgeSeconds ? { maxAgeSeconds: o.maxAgeSeconds } : {}),
          ...(ctx.transactionData ? { transactionData: ctx.transactionData } : {}),
        },
        ...(o.statusChecker ? { statusChecker: o.statusChecker, statusPolicy: { mode: 'report' } } : {}),
      })
      return { claims: r.claims, vct: r.vct, ...(r.iss ? { issuer: r.iss } : {}), ...(r.status ? { status: r.status } : {}) }
    },
  }
}
