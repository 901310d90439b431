import { b64uDecode, type JsonObject, type StatusChecker } from '@bonafide/core'
import type { TrustAnchorInput } from '@bonafide/jose'
import { dcApiSessionTranscript, openid4vpSessionTranscript, verifyDeviceResponse } from '@bonafide/mdoc'
import { Openid4vpError } from '../errors.js'
import type { PresentationValidator, ValidatedPresentation, ValidationContext } from '../validate.js'

/**
 * `mso_mdoc` presentations (OpenID4VP Appendix B.2): the verifier computes the SessionTranscript itself;
 * the MSO's `status` (Token Status List, ISO 18013-5 2nd ed.) is checked when a status checker is given.
 */
export function msoMdocValidator(o: {
  trustAnchors: readonly TrustAnchorInput[]
  statusChecker?: StatusChecker
}): PresentationValidator {
  return {
    format: 'mso_mdoc',
    async validate(p: unknown, ctx: ValidationContext): Promise<ValidatedPresentation> {
      if (typeof p !== 'string')
        throw new Openid4vpError('openid4vp.format_mismatch', 'an mso_mdoc presentation is a base64url string')
      let bytes: Uint8Array
      try {
        bytes = b64uDecode(p)
      } catch {
        throw new Openid4vpError('openid4vp.format_mismatch', 'an mso_mdoc presentation is base64url')
      }
      const sessionTranscript = ctx.origin
        ? dcApiSessionTranscript({ origin: ctx.origin, nonce: ctx.nonce, jwkThumbprint: ctx.jwkThumbprint ?? null })
        : openid4vpSessionTranscript({
            clientId: ctx.clientId,
            nonce: ctx.nonce,
            responseUri: ctx.responseUri ?? '',
            jwkThumbprint: ctx.jwkThumbprint ?? null,
          })
      const r = verifyDeviceResponse(bytes, { trustAnchors: o.trustAnchors, sessionTranscript, clock: ctx.clock })
      const doc = r.documents[0]
      if (!doc || r.documents.length !== 1)
        throw new Openid4vpError('openid4vp.vp_token_invalid', 'one document per mdoc presentation')
      const status = o.statusChecker && doc.status ? await o.statusChecker.check(doc.status, { now: ctx.clock.now() }) : undefined
      const out: { -readonly [K in keyof ValidatedPresentation]: ValidatedPresentation[K] } = {
        claims: doc.claims as JsonObject,
        doctype: doc.docType,
      }
      if (doc.issuerSubject) out.issuer = doc.issuerSubject
      if (status) out.status = status
      return out
    },
  }
}
