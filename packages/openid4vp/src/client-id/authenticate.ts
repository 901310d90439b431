import { type Clock, digestB64u, systemClock } from '@bonafide/core'
import { type DidDocument, type DidResolver, selectVerificationMethod, type VerificationMethod } from '@bonafide/did'
import {
  createX5cValidator,
  decodeX5c,
  type ParsedJws,
  type TrustAnchorInput,
  verifyJwsSignature,
  type X5cValidator,
} from '@bonafide/jose'
import type { PublicJwk } from '@bonafide/keys'
import { Openid4vpError } from '../errors.js'
import { type ClientId, parseClientId } from './prefix.js'
import { type TrustedAttestationIssuer, type VerifierAttestation, verifyVerifierAttestation } from './verifier-attestation.js'

/** What the wallet trusts, per Client Identifier Prefix; a prefix without its option is refused. */
export interface ClientTrustOptions {
  /** `x509_san_dns`, `x509_hash`: trusted roots for the `x5c` chain. */
  trustAnchors?: readonly TrustAnchorInput[]
  /** `decentralized_identifier`: resolves the verifier's DID (createDidResolver({ fetcher }) to include did:web). */
  didResolver?: DidResolver
  /** `verifier_attestation`: issuers trusted to issue Verifier Attestation JWTs. */
  attestationIssuers?: readonly TrustedAttestationIssuer[]
  /** `redirect_uri`: accept unsigned requests whose only identity is their response URI. */
  allowRedirectUri?: boolean
  clock?: Clock
}

export interface AuthenticatedClient extends ClientId {
  /** The key that verified the request object. */
  readonly key: PublicJwk | undefined
  /** x509_*: the leaf certificate's subject. */
  readonly verifierSubject?: string
  /** decentralized_identifier: the verification method that signed. */
  readonly verificationMethod?: VerificationMethod
  /** verifier_attestation: the verified attestation. */
  readonly attestation?: VerifierAttestation
}

const validators = new WeakMap<readonly TrustAnchorInput[], X5cValidator>()

function untrusted(message: string, cause?: unknown): never {
  throw new Openid4vpError('openid4vp.client_untrusted', message, cause === undefined ? undefined : { cause })
}

function verify(jws: ParsedJws, key: Parameters<typeof verifyJwsSignature>[1]): void {
  try {
    verifyJwsSignature(jws, key)
  } catch (cause) {
    untrusted('request object signature does not verify', cause)
  }
}

function x509(jws: ParsedJws, id: ClientId, o: ClientTrustOptions): AuthenticatedClient {
  if (!o.trustAnchors) untrusted('x509 client_id prefixes are not enabled')
  let v = validators.get(o.trustAnchors)
  if (!v) validators.set(o.trustAnchors, (v = createX5cValidator(o.trustAnchors)))
  const chainDer = decodeX5c(jws.header.x5c)
  const chain = v.validate(chainDer, (o.clock ?? systemClock).now())
  // §5.9.3: x509_san_dns names a DNS SAN of the leaf; x509_hash is base64url(SHA-256(DER of the leaf)).
  if (id.prefix === 'x509_san_dns' && !(chain.leaf.subjectAltName ?? '').split(', ').includes(`DNS:${id.value}`))
    untrusted('the certificate does not name the client_id')
  if (id.prefix === 'x509_hash' && digestB64u('sha-256', chainDer[0] as Uint8Array) !== id.value)
    untrusted('the certificate hash does not match the client_id')
  verify(jws, chain.leafKey)
  return { ...id, key: undefined, verifierSubject: chain.leaf.subject }
}

// §5.9.3 decentralized_identifier: the JWS kid is a DID URL of the client_id's DID; the key comes from the DID
// document's verificationMethod, authorised for authentication or assertionMethod (the relationships for signing).
async function did(jws: ParsedJws, id: ClientId, o: ClientTrustOptions): Promise<AuthenticatedClient> {
  if (!o.didResolver) untrusted('the decentralized_identifier prefix is not enabled')
  if (!id.value.startsWith('did:')) throw new Openid4vpError('openid4vp.request_invalid', 'the client_id value is not a DID')
  const kid = jws.header.kid
  if (typeof kid !== 'string' || !kid.includes('#'))
    throw new Openid4vpError('openid4vp.request_invalid', 'the request object kid must be a DID URL')
  if (kid.slice(0, kid.indexOf('#')) !== id.value) untrusted('the kid names another DID than the client_id')
  let doc: DidDocument
  try {
    doc = await o.didResolver.resolve(id.value)
  } catch (cause) {
    untrusted('the client_id DID cannot be resolved', cause)
  }
  let vm: VerificationMethod | undefined
  let lastError: unknown
  for (const purpose of ['authentication', 'assertionMethod'] as const) {
    try {
      vm = selectVerificationMethod(doc, kid, purpose)
      break
    } catch (cause) {
      lastError = cause
    }
  }
  if (!vm) untrusted('the kid is not an authorised verification method of the DID', lastError)
  verify(jws, vm.publicKeyJwk)
  return { ...id, key: vm.publicKeyJwk, verificationMethod: vm }
}

// §5.9.3 verifier_attestation + §12: the `jwt` header carries the attestation; its sub is the client_id value and
// its cnf.jwk signs the request (proof of possession).
function attestation(jws: ParsedJws, id: ClientId, o: ClientTrustOptions): AuthenticatedClient {
  if (!o.attestationIssuers?.length) untrusted('the verifier_attestation prefix is not enabled')
  const a = verifyVerifierAttestation(jws.header.jwt, { issuers: o.attestationIssuers, ...(o.clock ? { clock: o.clock } : {}) })
  if (a.sub !== id.value) untrusted('the verifier attestation sub is not the client_id')
  verify(jws, a.cnfJwk)
  return { ...id, key: a.cnfJwk, attestation: a }
}

/**
 * Authenticate a signed request object by its client_id prefix (§5.9.3). `redirect_uri` requests cannot be
 * signed and are refused here. Throws `openid4vp.client_untrusted` when trust cannot be established.
 */
export async function authenticateRequestObject(
  jws: ParsedJws,
  clientId: string,
  o: ClientTrustOptions,
): Promise<AuthenticatedClient> {
  const id = parseClientId(clientId)
  switch (id.prefix) {
    case 'x509_san_dns':
    case 'x509_hash':
      return x509(jws, id, o)
    case 'decentralized_identifier':
      return did(jws, id, o)
    case 'verifier_attestation':
      return attestation(jws, id, o)
    case 'redirect_uri':
      return untrusted('requests with the redirect_uri prefix cannot be signed')
  }
}
