import { b64uDecode, isJsonObject, type JsonObject, OAuthError } from '@bonafide/core'
import type { TrustAnchorInput } from '@bonafide/jose'
import { jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import {
  issueMdocBatch,
  issuerSignedElementValues,
  MdocError,
  toElementValues,
  toTypedJsonValue,
  verifyIssuerSigned,
} from '@bonafide/mdoc'
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
  /**
   * Wallet side: how received elements become JSON claims. `plain` (default): dates as strings,
   * bytes as base64url, as DCQL `values` matching compares them. `typed`: exact, in the
   * @bonafide/mdoc typed JSON convention (`{ $bstr }`, `{ "$full-date" }`, `{ $tdate }`, `{ $tstr }`).
   */
  claimsView?: 'plain' | 'typed'
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
 * Typed values are the issuer's data: a malformed one (say `{ "$full-date": "12.08.1964" }`) is
 * refused like claims that break the schema (§8.3.1.2 `credential_request_denied`), the path in
 * the cause for `onError`, before anything is signed.
 */
function checkTypedValues(configurationId: string, claims: Record<string, JsonObject>): void {
  try {
    toElementValues(claims)
  } catch (e) {
    if (!(e instanceof MdocError) || typeof e.details?.path !== 'string') throw e
    const cause = new Openid4vciError('openid4vci.claims_invalid', 'a typed mdoc element value is malformed', {
      cause: e,
      details: { configurationId, format: 'mso_mdoc', paths: [e.details.path] },
    })
    throw new OAuthError('credential_request_denied', 'the issuer cannot issue this credential: its data is malformed', {
      cause,
    })
  }
}

function typedClaims(issuerSigned: Uint8Array): JsonObject {
  const out: JsonObject = {}
  for (const [ns, els] of Object.entries(issuerSignedElementValues(issuerSigned))) {
    const o: JsonObject = {}
    for (const [k, v] of Object.entries(els))
      Object.defineProperty(o, k, { value: toTypedJsonValue(v), enumerable: true, writable: true, configurable: true })
    Object.defineProperty(out, ns, { value: o, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * The `mso_mdoc` format (OpenID4VCI Appendix A.2) over @bonafide/mdoc: each credential is a
 * base64url-encoded IssuerSigned bound to its own device key. Issuer claims are
 * `{ namespace: { element: value } }` in JSON; binary and date elements that plain JSON cannot
 * express take the typed forms of @bonafide/mdoc `TYPED_ELEMENT_MARKERS`.
 * @example msoMdocFormat({ signer, x5chain }) // issuer;  msoMdocFormat({ trustAnchors: [iacaPem] }) // wallet
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
      const claims = namespaces(i.claims)
      checkTypedValues(i.configurationId, claims)
      const { encoded, audit } = await issueMdocBatch({
        signer: o.signer,
        x5chain: o.x5chain,
        docType: String(i.configuration.doctype),
        claims,
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
      const claims = o.claimsView === 'typed' ? typedClaims(bytes) : (v.claims as JsonObject)
      return { salts: [...v.randoms], claims, ...(isJsonObject(v.status) ? { status: v.status } : {}) }
    },
  }
}
