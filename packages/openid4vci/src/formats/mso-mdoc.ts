import { b64uDecode, isJsonObject, type JsonObject } from '@bonafide/core'
import type { TrustAnchorInput } from '@bonafide/jose'
import { jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { issueMdocBatch, verifyIssuerSigned } from '@bonafide/mdoc'
import { Openid4vciError } from '../errors.js'
import type {
  CredentialFormat,
  IssueBatchInput,
  IssueBatchResult,
  ValidatedCredential,
  ValidateReceivedInput,
} from '../format.js'

export interface MsoMdocFormatOptions {
  /** Issuer side: the document signer and its chain (DER, leaf first). */
  signer?: Signer
  x5chain?: readonly Uint8Array[]
  validForSeconds?: number
  /** Wallet side: IACA roots (or static issuer keys) the document signer must chain to. */
  trustAnchors?: readonly TrustAnchorInput[]
  issuerKeys?: readonly PublicJwk[]
}

function namespaces(claims: JsonObject): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {}
  for (const [ns, els] of Object.entries(claims)) {
    if (!isJsonObject(els))
      throw new Openid4vciError('openid4vci.config_invalid', 'mso_mdoc claims are { namespace: { element: value } }')
    out[ns] = els
  }
  return out
}

/**
 * The `mso_mdoc` format (OpenID4VCI Appendix A.2) over @bonafide/mdoc: each credential is a
 * base64url-encoded IssuerSigned bound to its own device key.
 */
export function msoMdocFormat(o: MsoMdocFormatOptions): CredentialFormat {
  return {
    format: 'mso_mdoc',
    validateConfiguration(c: JsonObject): void {
      if (typeof c.doctype !== 'string' || c.doctype.length === 0)
        throw new Openid4vciError('openid4vci.config_invalid', 'mso_mdoc configurations need a doctype')
    },
    async issueBatch(i: IssueBatchInput): Promise<IssueBatchResult> {
      if (!o.signer || !o.x5chain?.length) throw new Openid4vciError('openid4vci.config_invalid', 'no document signer configured')
      const { encoded, audit } = await issueMdocBatch({
        signer: o.signer,
        x5chain: o.x5chain,
        docType: String(i.configuration.doctype),
        claims: namespaces(i.claims),
        entries: i.entries.map((e) => ({ deviceKey: e.holderKey, ...(e.status ? { status: e.status } : {}) })),
        clock: i.clock,
        ...(o.validForSeconds ? { validForSeconds: o.validForSeconds } : {}),
      })
      return {
        credentials: encoded,
        holderKeyThumbprints: audit.deviceKeyThumbprints,
        audit: { batchId: audit.batchId, issuedAt: audit.issuedAt },
      }
    },
    async validateReceived(i: ValidateReceivedInput): Promise<ValidatedCredential> {
      if (typeof i.credential !== 'string')
        throw new Openid4vciError('openid4vci.credential_invalid', 'mso_mdoc credentials are base64url strings')
      let bytes: Uint8Array
      try {
        bytes = b64uDecode(i.credential)
      } catch {
        throw new Openid4vciError('openid4vci.credential_invalid', 'mso_mdoc credential is not base64url')
      }
      const v = verifyIssuerSigned(bytes, {
        ...(o.trustAnchors ? { trustAnchors: o.trustAnchors } : {}),
        ...(o.issuerKeys ? { issuerKeys: o.issuerKeys } : {}),
        docType: String(i.configuration.doctype),
        clock: i.clock,
      })
      if (jwkThumbprint(v.deviceKey) !== jwkThumbprint(i.holderKey)) {
        throw new Openid4vciError('openid4vci.credential_invalid', 'mdoc is not bound to the requested device key')
      }
      return { salts: [...v.randoms], claims: v.claims as JsonObject, ...(isJsonObject(v.status) ? { status: v.status } : {}) }
    },
  }
}
