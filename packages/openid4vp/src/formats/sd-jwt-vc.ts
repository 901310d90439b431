import type { StatusChecker } from '@bonafide/core'
import { type IssuerKeyPolicy, type KbPolicy, type VerifySdJwtVcOptions, verifySdJwtVc } from '@bonafide/sd-jwt'
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
      const kb: KbPolicy = {
        required: ctx.query.require_cryptographic_holder_binding,
        aud: ctx.clientId,
        nonce: ctx.nonce,
      }
      if (o.maxAgeSeconds) kb.maxAgeSeconds = o.maxAgeSeconds
      if (ctx.transactionData) kb.transactionData = ctx.transactionData
      const opts: VerifySdJwtVcOptions = { issuerKeys: o.issuerKeys, clock: ctx.clock, kb }
      if (o.statusChecker) {
        opts.statusChecker = o.statusChecker
        opts.statusPolicy = { mode: 'report' }
      }
      const r = await verifySdJwtVc(p, opts)
      const out: { -readonly [K in keyof ValidatedPresentation]: ValidatedPresentation[K] } = { claims: r.claims, vct: r.vct }
      if (r.iss) out.issuer = r.iss
      if (r.status) out.status = r.status
      return out
    },
  }
}
