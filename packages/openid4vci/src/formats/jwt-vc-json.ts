import { isJsonObject, type JsonObject } from '@bonafide/core'
import {
  didForKey,
  issueJwtVcBatch,
  type JwtVcIssuerKeyPolicy,
  resolveDidPublicKey,
  type SchemaValidator,
  type VcVersion,
  verifyJwtVc,
} from '@bonafide/jwt-vc'
import { jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { Openid4vciError } from '../errors.js'
import type {
  CredentialFormat,
  IssueBatchInput,
  IssueBatchResult,
  ValidatedCredential,
  ValidateReceivedInput,
} from '../format.js'

export interface JwtVcJsonFormatOptions {
  /** Issuer side. */
  signer?: Signer
  kid?: string
  x5c?: string[]
  /** The `issuer` in credentials (e.g. a DID); default the Credential Issuer identifier. Wallets expect it too. */
  issuerId?: string
  /** `1.1` (default: the `vc` claim, as jwt_vc_json is profiled) or `2.0` (`vc+jwt`). */
  version?: VcVersion
  validForSeconds?: number
  /** Also name the holder in `credentialSubject.id` by a DID of its key (cnf.jwk is always set). */
  subjectDid?: 'did:jwk' | 'did:key'
  /**
   * Turn the endpoint's status reference into a `credentialStatus` entry. Default: W3C entries (objects
   * with a `type`) are used as they are; other references (Token Status List) are refused.
   */
  credentialStatus?: (status: JsonObject) => JsonObject | JsonObject[]
  validateSchema?: SchemaValidator
  /** Wallet side: how issuer keys are trusted. */
  issuerKeys?: JwtVcIssuerKeyPolicy
}

/** `credential_definition.type` (OpenID4VCI 1.0 Appendix A.1.1.2): a non-empty array of strings. */
function configuredTypes(c: JsonObject): string[] {
  const def = c.credential_definition
  const t = isJsonObject(def) ? def.type : undefined
  if (!Array.isArray(t) || t.length === 0 || !t.every((x) => typeof x === 'string' && x.length > 0))
    throw new Openid4vciError('openid4vci.config_invalid', 'jwt_vc_json configurations need credential_definition.type')
  return t as string[]
}

function statusFor(o: JwtVcJsonFormatOptions, s: JsonObject | undefined): JsonObject | JsonObject[] | undefined {
  if (!s) return undefined
  if (o.credentialStatus) return o.credentialStatus(s)
  if (typeof s.type === 'string') return s
  throw new Openid4vciError('openid4vci.config_invalid', 'jwt_vc_json needs a credentialStatus mapping for this status reference')
}

function subjectDid(o: JwtVcJsonFormatOptions, key: PublicJwk): string | undefined {
  return o.subjectDid ? didForKey(key, o.subjectDid) : undefined
}

async function boundTo(subjectId: string | undefined, holderKey: PublicJwk | undefined, expected: PublicJwk): Promise<boolean> {
  const t = jwkThumbprint(expected)
  if (holderKey) return jwkThumbprint(holderKey) === t
  if (subjectId?.startsWith('did:')) return jwkThumbprint(await resolveDidPublicKey(subjectId, 'authentication')) === t
  return false
}

/**
 * The `jwt_vc_json` format (OpenID4VCI 1.0 Appendix A.1.1) over @bonafide/jwt-vc: W3C VCs as JWT, one
 * per holder key with its own `id` and status entry.
 * @example jwtVcJsonFormat({ signer, issuerId: did }) // issuer;  jwtVcJsonFormat({ issuerKeys: { did: true }, issuerId: did }) // wallet
 */
export function jwtVcJsonFormat(o: JwtVcJsonFormatOptions): CredentialFormat {
  return {
    format: 'jwt_vc_json',
    validateConfiguration(c: JsonObject): void {
      configuredTypes(c)
    },
    async issueBatch(i: IssueBatchInput): Promise<IssueBatchResult> {
      if (!o.signer) throw new Openid4vciError('openid4vci.config_invalid', 'no issuer signer configured')
      const { credentials, audit } = await issueJwtVcBatch({
        signer: o.signer,
        issuer: o.issuerId ?? i.issuer,
        version: o.version ?? '1.1',
        credential: { type: configuredTypes(i.configuration), credentialSubject: i.claims },
        entries: i.entries.map((e) => {
          const status = statusFor(o, e.status)
          const sub = subjectDid(o, e.holderKey)
          return { holderKey: e.holderKey, ...(sub ? { subjectId: sub } : {}), ...(status ? { credentialStatus: status } : {}) }
        }),
        clock: i.clock,
        ...(o.kid ? { kid: o.kid } : {}),
        ...(o.x5c ? { x5c: o.x5c } : {}),
        ...(o.validForSeconds ? { validForSeconds: o.validForSeconds } : {}),
        ...(o.validateSchema ? { validateSchema: o.validateSchema } : {}),
      })
      return {
        credentials,
        holderKeyThumbprints: audit.holderKeyThumbprints.map((t) => t ?? ''),
        audit: { batchId: audit.batchId, issuedAt: audit.issuedAt, ids: [...audit.ids] },
      }
    },
    async validateReceived(i: ValidateReceivedInput): Promise<ValidatedCredential> {
      if (!o.issuerKeys) throw new Openid4vciError('openid4vci.config_invalid', 'no issuer key policy configured')
      if (typeof i.credential !== 'string')
        throw new Openid4vciError('openid4vci.credential_invalid', 'jwt_vc_json credentials are strings')
      const v = await verifyJwtVc(i.credential, { issuerKeys: o.issuerKeys, clock: i.clock, versions: [o.version ?? '1.1'] })
      if (v.issuer !== (o.issuerId ?? i.issuer))
        throw new Openid4vciError('openid4vci.credential_invalid', 'credential issuer is not the expected issuer')
      if (!configuredTypes(i.configuration).every((t) => v.types.includes(t)))
        throw new Openid4vciError('openid4vci.credential_invalid', 'credential type is not the requested one')
      if (!(await boundTo(v.subjectId, v.holderKey, i.holderKey)))
        throw new Openid4vciError('openid4vci.credential_invalid', 'credential is not bound to the requested key')
      const status = v.credential.credentialStatus
      return {
        // Distinct across a batch, like salts: a repeated id would link the credentials.
        salts: typeof v.credential.id === 'string' ? [v.credential.id] : [],
        ...(isJsonObject(v.credential.credentialSubject) ? { claims: v.credential.credentialSubject } : {}),
        ...(isJsonObject(status) ? { status } : {}),
      }
    },
  }
}
