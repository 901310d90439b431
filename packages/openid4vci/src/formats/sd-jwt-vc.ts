import { isJsonObject, type JsonObject } from '@bonafide/core'
import { jwkThumbprint, parsePublicJwk, type Signer } from '@bonafide/keys'
import {
  type ClaimPathInput,
  type IssuerKeyPolicy,
  issueSdJwtVcBatch,
  type TimestampPolicy,
  verifySdJwtVc,
} from '@bonafide/sd-jwt'
import { Openid4vciError } from '../errors.js'
import type {
  CredentialFormat,
  IssueBatchInput,
  IssueBatchResult,
  ValidatedCredential,
  ValidateReceivedInput,
} from '../format.js'

export interface SdJwtVcFormatOptions {
  /** Issuer side. */
  signer?: Signer
  x5c?: string[]
  kid?: string
  validForSeconds?: number
  /** Which claims are selectively disclosable (default: every top-level claim). */
  disclosable?: (configurationId: string, claims: JsonObject) => ClaimPathInput[]
  timestamps?: TimestampPolicy
  /**
   * `vct#integrity` (SD-JWT VC §2.2.2.3, §5): W3C SRI integrity metadata (`sha256-<base64>`) of the
   * Type Metadata document as published, one for every configuration, or per configuration
   * (`undefined`: none). A string is checked when the adapter is built, a function's result per batch.
   */
  vctIntegrity?: string | ((configurationId: string, configuration: JsonObject) => string | undefined)
  /** Wallet side: how issuer keys are trusted. */
  issuerKeys?: IssuerKeyPolicy
}

// SD-JWT VC §5: W3C SRI §3 integrity metadata, space-separated `<alg>-<base64>[?options]`; the
// digest in padded base64 of its exact length, so a hex or base64url digest is caught here, not by verifiers.
const SRI = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?[\x21-\x7e]*)?$/
const B64_LENGTH: Record<string, number> = { sha256: 44, sha384: 64, sha512: 88 }
const MAX_INTEGRITY = 1024

function isSri(t: string): boolean {
  const m = SRI.exec(t)
  return m !== null && m[2]?.length === B64_LENGTH[m[1] as string]
}

function checkedIntegrity(v: unknown): string {
  const ok = typeof v === 'string' && v.length <= MAX_INTEGRITY && v.trim() !== '' && v.trim().split(/\s+/).every(isSri)
  if (!ok)
    throw new Openid4vciError(
      'openid4vci.config_invalid',
      'vctIntegrity must be W3C SRI integrity metadata (sha256-<base64>, SD-JWT VC §5)',
    )
  return v as string
}

function vctIntegrityFor(o: SdJwtVcFormatOptions, i: IssueBatchInput): string | undefined {
  if (o.vctIntegrity === undefined) return undefined
  if (typeof o.vctIntegrity === 'string') return o.vctIntegrity
  const v = o.vctIntegrity(i.configurationId, i.configuration)
  return v === undefined ? undefined : checkedIntegrity(v)
}

/**
 * The `dc+sd-jwt` format (OpenID4VCI Appendix A.3) over @bonafide/sd-jwt.
 * @example sdJwtVcFormat({ signer, x5c, vctIntegrity: documentIntegrity(typeMetadataBytes(doc)) }) // issuer
 * @example sdJwtVcFormat({ issuerKeys: { trustAnchors } }) // wallet
 */
export function sdJwtVcFormat(o: SdJwtVcFormatOptions): CredentialFormat {
  if (o.vctIntegrity !== undefined && typeof o.vctIntegrity !== 'function') checkedIntegrity(o.vctIntegrity)
  return {
    format: 'dc+sd-jwt',
    validateConfiguration(c: JsonObject): void {
      if (typeof c.vct !== 'string' || c.vct.length === 0)
        throw new Openid4vciError('openid4vci.config_invalid', 'dc+sd-jwt configurations need a vct')
    },
    async issueBatch(i: IssueBatchInput): Promise<IssueBatchResult> {
      if (!o.signer) throw new Openid4vciError('openid4vci.config_invalid', 'no issuer signer configured')
      const header = { ...(o.kid ? { kid: o.kid } : {}), ...(o.x5c ? { x5c: o.x5c } : {}) }
      const vctIntegrity = vctIntegrityFor(o, i)
      const { credentials, audit } = await issueSdJwtVcBatch({
        signer: o.signer,
        iss: i.issuer,
        vct: String(i.configuration.vct),
        ...(vctIntegrity ? { vctIntegrity } : {}),
        claims: i.claims,
        disclosable: o.disclosable ? o.disclosable(i.configurationId, i.claims) : Object.keys(i.claims),
        entries: i.entries.map((e) => ({ holderKey: e.holderKey, ...(e.status ? { status: e.status } : {}) })),
        clock: i.clock,
        ...(o.validForSeconds ? { validForSeconds: o.validForSeconds } : {}),
        ...(o.timestamps ? { timestamps: o.timestamps } : {}),
        ...(Object.keys(header).length ? { header } : {}),
      })
      return {
        credentials,
        holderKeyThumbprints: audit.holderKeyThumbprints.map((t) => t ?? ''),
        audit: { batchId: audit.batchId, issuedAt: audit.issuedAt },
      }
    },
    async validateReceived(i: ValidateReceivedInput): Promise<ValidatedCredential> {
      if (!o.issuerKeys) throw new Openid4vciError('openid4vci.config_invalid', 'no issuer key policy configured')
      if (typeof i.credential !== 'string')
        throw new Openid4vciError('openid4vci.credential_invalid', 'dc+sd-jwt credentials are strings')
      const v = await verifySdJwtVc(i.credential, { issuerKeys: o.issuerKeys, clock: i.clock })
      if (v.iss !== i.issuer) throw new Openid4vciError('openid4vci.credential_invalid', 'credential iss is not the issuer')
      if (v.vct !== i.configuration.vct)
        throw new Openid4vciError('openid4vci.credential_invalid', 'credential vct is not the requested one')
      const cnf = v.payload.cnf
      if (!isJsonObject(cnf) || jwkThumbprint(parsePublicJwk(cnf.jwk)) !== jwkThumbprint(i.holderKey))
        throw new Openid4vciError('openid4vci.credential_invalid', 'credential is not bound to the requested key')
      return {
        salts: v.disclosures.map((d) => d.salt),
        claims: v.claims,
        ...(isJsonObject(v.payload.status) ? { status: v.payload.status } : {}),
      }
    },
  }
}
