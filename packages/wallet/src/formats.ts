import { b64uDecode, type Clock, isJsonObject, type JsonObject } from '@bonafide/core'
import type { TrustAnchorInput } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk, type Signer } from '@bonafide/keys'
import { verifyIssuerSigned } from '@bonafide/mdoc'
import { type AuthorizationRequest, type PresentationTarget, presentMdocFor, presentSdJwtVcFor } from '@bonafide/openid4vp'
import { type IssuerKeyPolicy, verifySdJwtVc } from '@bonafide/sd-jwt'
import { WalletError } from './errors.js'

/** What the wallet learns from a credential it accepts (after checking the issuer's signature). */
export interface DescribedCredential {
  readonly format: string
  readonly type: string
  readonly issuer: string
  readonly claims: JsonObject
  readonly holderKey: PublicJwk
  readonly validFrom?: number
  readonly validUntil?: number
  readonly status?: JsonObject
  /** Salts (SD-JWT) or item randoms (mdoc): distinct across the copies of a batch. */
  readonly salts: readonly string[]
}

/** A credential format as the holder sees it: check and describe a received credential, present it. */
export interface WalletFormat {
  readonly format: string
  describe(credential: string, clock: Clock): Promise<DescribedCredential>
  present(credential: string, target: PresentationTarget, request: AuthorizationRequest, holder: Signer): Promise<string>
}

const REGISTERED = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'status', 'vct', 'vct#integrity', '_sd_alg', 'sub'])

/** Claims a person would call the credential's content (registered JWT claims left out). */
export function displayClaims(format: string, claims: JsonObject): JsonObject {
  if (format === 'jwt_vc_json') {
    const subject = claims.credentialSubject
    return isJsonObject(subject) ? Object.fromEntries(Object.entries(subject).filter(([k]) => k !== 'id')) : {}
  }
  if (format !== 'dc+sd-jwt') return claims
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !REGISTERED.has(k)))
}

/** JSON with object keys sorted (disclosures arrive shuffled, so claim order means nothing). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}

/** What makes copies "the same dataset": format, type, issuer and the claims a person sees. */
export function datasetKey(d: DescribedCredential): string {
  return canonical([d.format, d.type, d.issuer, displayClaims(d.format, d.claims)])
}

/** A received credential that does not verify; the underlying code (an untrusted issuer, a bad signature) is kept. */
export function credentialInvalid(e: unknown): never {
  const code = (e as { code?: unknown })?.code
  const why = typeof code === 'string' ? ` (${code})` : ''
  throw new WalletError('wallet.credential_invalid', `the credential does not verify${why}`, {
    cause: e,
    details: { code: typeof code === 'string' ? code : undefined },
  })
}

/** `dc+sd-jwt`: issuer signature and trust by the policy, `cnf.jwk` as the holder key. */
export function sdJwtVcWalletFormat(o: { issuerKeys: IssuerKeyPolicy }): WalletFormat {
  return {
    format: 'dc+sd-jwt',
    async describe(credential, clock) {
      const v = await verifySdJwtVc(credential, { issuerKeys: o.issuerKeys, clock }).catch(credentialInvalid)
      const p = v.payload
      if (!isJsonObject(p.cnf)) throw new WalletError('wallet.credential_invalid', 'the credential has no holder key (cnf)')
      const num = (x: unknown) => (typeof x === 'number' ? x * 1000 : undefined)
      const validFrom = num(p.nbf) ?? num(p.iat)
      const validUntil = num(p.exp)
      return {
        format: 'dc+sd-jwt',
        type: v.vct,
        issuer: v.iss ?? '',
        claims: v.claims,
        holderKey: parsePublicJwk(p.cnf.jwk),
        salts: v.disclosures.map((d) => d.salt),
        ...(validFrom !== undefined ? { validFrom } : {}),
        ...(validUntil !== undefined ? { validUntil } : {}),
        ...(isJsonObject(p.status) ? { status: p.status } : {}),
      }
    },
    present: presentSdJwtVcFor,
  }
}

/** `mso_mdoc`: issuerAuth chained to an IACA root (or a known key), the MSO device key as the holder key. */
export function msoMdocWalletFormat(o: {
  trustAnchors?: readonly TrustAnchorInput[]
  issuerKeys?: readonly PublicJwk[]
}): WalletFormat {
  return {
    format: 'mso_mdoc',
    async describe(credential, clock) {
      let v: ReturnType<typeof verifyIssuerSigned>
      try {
        v = verifyIssuerSigned(b64uDecode(credential), {
          ...(o.trustAnchors?.length ? { trustAnchors: o.trustAnchors } : {}),
          ...(o.issuerKeys?.length ? { issuerKeys: o.issuerKeys } : {}),
          clock,
        })
      } catch (e) {
        credentialInvalid(e)
      }
      return {
        format: 'mso_mdoc',
        type: v.docType,
        issuer: v.issuerSubject ?? '',
        claims: v.claims as JsonObject,
        holderKey: v.deviceKey,
        salts: v.randoms,
        validFrom: Date.parse(v.validity.validFrom),
        validUntil: Date.parse(v.validity.validUntil),
        ...(isJsonObject(v.status) ? { status: v.status } : {}),
      }
    },
    present: presentMdocFor,
  }
}
