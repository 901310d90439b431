import { isJsonObject } from '@bonafide/core'
import { createJwtVp, decodeJwtVc, type JwtVcIssuerKeyPolicy, resolveDidPublicKey, verifyJwtVc } from '@bonafide/jwt-vc'
import type { PublicJwk } from '@bonafide/keys'
import { WalletError } from './errors.js'
import { credentialInvalid, type WalletFormat } from './formats.js'

async function holderKeyOf(subjectId: string | undefined, cnf: PublicJwk | undefined): Promise<PublicJwk> {
  if (cnf) return cnf
  if (subjectId?.startsWith('did:')) return resolveDidPublicKey(subjectId, 'authentication')
  throw new WalletError('wallet.credential_invalid', 'the credential names no holder key (cnf or a DID subject)')
}

/**
 * `jwt_vc_json` (W3C VCDM 1.1/2.0 as JWT): the issuer signature by the policy, the holder key from `cnf.jwk`
 * or the subject's did:jwk/did:key; presented whole (no selective disclosure) inside a VP JWT with aud = client_id and nonce.
 */
export function jwtVcJsonWalletFormat(o: { issuerKeys: JwtVcIssuerKeyPolicy }): WalletFormat {
  return {
    format: 'jwt_vc_json',
    async describe(credential, clock) {
      const v = await verifyJwtVc(credential, { issuerKeys: o.issuerKeys, clock }).catch(credentialInvalid)
      const status = v.credential.credentialStatus
      return {
        format: 'jwt_vc_json',
        type: v.types.join(' '),
        issuer: v.issuer,
        claims: v.credential,
        holderKey: await holderKeyOf(v.subjectId, v.holderKey),
        salts: [typeof v.payload.jti === 'string' ? v.payload.jti : credential.slice(-43)],
        ...(v.validFrom !== undefined ? { validFrom: v.validFrom * 1000 } : {}),
        ...(v.validUntil !== undefined ? { validUntil: v.validUntil * 1000 } : {}),
        ...(isJsonObject(status) ? { status } : {}),
      }
    },
    async present(credential, _target, request, holder) {
      // verified when it entered the wallet: only its subject is needed here, not another signature check
      const v = decodeJwtVc(credential)
      return createJwtVp({
        signer: holder,
        credentials: [credential],
        ...(v.subjectId?.startsWith('did:') ? { holder: v.subjectId } : {}),
        audience: request.clientId,
        nonce: request.nonce,
      })
    },
  }
}
