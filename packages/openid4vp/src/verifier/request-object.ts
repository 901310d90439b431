import type { JsonObject } from '@bonafide/core'
import { resolveDid, resolveDidKey } from '@bonafide/did'
import { parseCompactJws, signCompactJws } from '@bonafide/jose'
import { jwkThumbprint, type Signer } from '@bonafide/keys'
import { type ClientIdPrefix, parseClientId } from '../client-id/prefix.js'
import { Openid4vpError } from '../errors.js'

/** How the verifier identifies itself: the client_id and what its prefix needs to sign (§5.9.3). */
export interface RequestSigningOptions {
  /** With its prefix, e.g. `x509_san_dns:verifier.example` or `decentralized_identifier:did:web:verifier.example`. */
  clientId: string
  /** Signs request objects (every prefix but `redirect_uri`, whose requests are never signed). */
  signer?: Signer
  /** x509_san_dns, x509_hash: the certificate chain of the signing key (standard base64 DER, leaf first). */
  x5c?: string[]
  /** decentralized_identifier: the DID URL of the signing key's verification method (derived for did:jwk, did:key). */
  kid?: string
  /** verifier_attestation: a Verifier Attestation JWT whose sub is the client_id value and cnf.jwk the signer's key. */
  attestation?: string
}

const bad = (message: string): never => {
  throw new Openid4vpError('openid4vp.request_invalid', message)
}

/** The DID URL of the signer's key in a did:jwk / did:key document (their only method). */
function derivedKid(did: string, signer: Signer): string {
  const vm = resolveDid(did).verificationMethod[0]
  if (!vm || jwkThumbprint(vm.publicKeyJwk) !== jwkThumbprint(signer.publicJwk)) bad('the signer key is not the DID key')
  return (vm as { id: string }).id
}

/**
 * Check a verifier's identity configuration once, up front; returns the resolved prefix and the JOSE header members
 * its request objects carry (x5c, kid, or jwt).
 */
export function prepareRequestSigning(o: RequestSigningOptions): { prefix: ClientIdPrefix; header?: JsonObject } {
  const { prefix, value } = parseClientId(o.clientId)
  if (prefix === 'redirect_uri') return { prefix } // §5.9.3: never signed (a configured signer is not used)
  if (!o.signer) bad(`the ${prefix} prefix needs a signer`)
  const signer = o.signer as Signer
  if (prefix === 'x509_san_dns' || prefix === 'x509_hash') {
    if (!o.x5c?.length) bad(`the ${prefix} prefix needs an x5c chain`)
    return { prefix, header: { x5c: o.x5c as string[] } }
  }
  if (prefix === 'decentralized_identifier') {
    if (!value.startsWith('did:')) bad('the decentralized_identifier value must be a DID')
    const kid = o.kid ?? (value.startsWith('did:jwk:') || value.startsWith('did:key:') ? derivedKid(value, signer) : undefined)
    if (!kid) return bad('a kid (DID URL of the signing key) is required for this DID method')
    if (!kid.startsWith(`${value}#`)) bad('the kid must be a DID URL of the client_id DID')
    if (!value.startsWith('did:web:')) {
      const key = resolveDidKey(kid, { purpose: 'authentication' })
      if (jwkThumbprint(key) !== jwkThumbprint(signer.publicJwk)) bad('the kid does not name the signer key')
    }
    return { prefix, header: { kid } }
  }
  // verifier_attestation
  if (!o.attestation) bad('the verifier_attestation prefix needs an attestation JWT')
  const a = parseCompactJws(o.attestation).payload
  const cnf = a.cnf as JsonObject | undefined
  if (a.sub !== value) bad('the attestation sub is not the client_id value')
  if (!cnf?.jwk || jwkThumbprint(cnf.jwk as never) !== jwkThumbprint(signer.publicJwk))
    bad('the attestation cnf.jwk is not the signer key')
  return { prefix, header: { jwt: o.attestation as string } }
}

/** Sign a request object (`oauth-authz-req+jwt`) with the header members of the client_id prefix. */
export function signRequestObject(
  payload: JsonObject,
  signing: { header?: JsonObject },
  signer: Signer | undefined,
): Promise<string> {
  if (!signing.header || !signer) throw new Openid4vpError('openid4vp.request_invalid', 'this client_id prefix does not sign')
  return signCompactJws({ typ: 'oauth-authz-req+jwt', ...signing.header }, payload, signer)
}
