import { createHash } from 'node:crypto'
import { type CborValue, encodeCbor } from '@bonafide/cose'

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest())

/** SessionTranscript = [DeviceEngagementBytes, EReaderKeyBytes, Handover]; both bytes are null over OpenID4VP. */
function transcript(handover: CborValue): CborValue[] {
  return [null, null, handover]
}

/** OpenID4VP 1.0 Appendix B.2.6.1 (redirects): OpenID4VPHandover over clientId, nonce, JWK thumbprint or null, response/redirect URI. */
export function openid4vpSessionTranscript(o: {
  clientId: string
  nonce: string
  responseUri: string
  jwkThumbprint?: Uint8Array | null
}): CborValue[] {
  const info = encodeCbor([o.clientId, o.nonce, o.jwkThumbprint ?? null, o.responseUri])
  return transcript(['OpenID4VPHandover', sha256(info)])
}

/** OpenID4VP 1.0 Appendix B.2.6.2 (Digital Credentials API): OpenID4VPDCAPIHandover over origin, nonce, JWK thumbprint or null. */
export function dcApiSessionTranscript(o: { origin: string; nonce: string; jwkThumbprint?: Uint8Array | null }): CborValue[] {
  const info = encodeCbor([o.origin, o.nonce, o.jwkThumbprint ?? null])
  return transcript(['OpenID4VPDCAPIHandover', sha256(info)])
}

/** OpenID4VP draft 24 over the DC API (older wallets): the handover hashes [origin, clientId, nonce]. */
export function dcApiDraft24SessionTranscript(o: { origin: string; clientId: string; nonce: string }): CborValue[] {
  return transcript(['OpenID4VPDCAPIHandover', sha256(encodeCbor([o.origin, o.clientId, o.nonce]))])
}

/** OpenID4VP draft 18 / ISO 18013-7 Annex B: [clientIdHash, responseUriHash, nonce] with the mdoc-generated nonce. */
export function draft18SessionTranscript(o: {
  clientId: string
  responseUri: string
  verifierNonce: string
  mdocNonce: string
}): CborValue[] {
  return transcript([
    sha256(encodeCbor([o.clientId, o.mdocNonce])),
    sha256(encodeCbor([o.responseUri, o.mdocNonce])),
    o.verifierNonce,
  ])
}
