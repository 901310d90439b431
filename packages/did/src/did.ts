import { b64uDecodeUtf8, b64uEncode, isJsonObject, type JsonObject } from '@bonafide/core'
import { type PublicJwk, parsePublicJwk, publicJwkMembers } from '@bonafide/keys'
import { DidError } from './errors.js'
import { jwkToMultibase, multibaseToJwk } from './multikey.js'

export type VerificationRelationship =
  | 'assertionMethod'
  | 'authentication'
  | 'keyAgreement'
  | 'capabilityInvocation'
  | 'capabilityDelegation'

export interface VerificationMethod {
  id: string
  type: 'JsonWebKey2020' | 'JsonWebKey' | 'Multikey'
  controller: string
  publicKeyJwk: PublicJwk
  publicKeyMultibase?: string
}

export interface DidDocument {
  '@context': string[]
  id: string
  verificationMethod: VerificationMethod[]
  assertionMethod: string[]
  authentication: string[]
  capabilityInvocation: string[]
  capabilityDelegation: string[]
  keyAgreement?: string[]
}

function document(did: string, vmId: string, jwk: PublicJwk, multibase?: string): DidDocument {
  const vm: VerificationMethod = {
    id: vmId,
    type: multibase ? 'Multikey' : 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: jwk,
    ...(multibase ? { publicKeyMultibase: multibase } : {}),
  }
  return {
    '@context': [
      'https://www.w3.org/ns/did/v1',
      multibase ? 'https://w3id.org/security/multikey/v1' : 'https://w3id.org/security/suites/jws-2020/v1',
    ],
    id: did,
    verificationMethod: [vm],
    assertionMethod: [vmId],
    authentication: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
  }
}

/** did:jwk (the public JWK, base64url JSON). */
export function createDidJwk(jwk: PublicJwk): string {
  return `did:jwk:${b64uEncode(JSON.stringify(publicJwkMembers(jwk)))}`
}

/** did:key for P-256 (compressed point) and Ed25519, multibase base58btc. */
export function createDidKey(jwk: PublicJwk): string {
  return `did:key:${jwkToMultibase(jwk)}`
}

function resolveKey(did: string): DidDocument {
  const mb = did.slice('did:key:'.length)
  if (!mb.startsWith('z')) throw new DidError('did.invalid', 'did:key must be multibase base58btc')
  return document(did, `${did}#${mb}`, multibaseToJwk(mb), mb)
}

function resolveJwk(did: string): DidDocument {
  let v: unknown
  try {
    v = JSON.parse(b64uDecodeUtf8(did.slice('did:jwk:'.length)))
  } catch {
    throw new DidError('did.invalid', 'did:jwk is not base64url JSON')
  }
  if (!isJsonObject(v)) throw new DidError('did.invalid', 'did:jwk must hold a JWK')
  let jwk: PublicJwk
  try {
    jwk = parsePublicJwk(v)
  } catch (cause) {
    throw new DidError('did.invalid', 'did:jwk does not hold a valid public JWK', { cause })
  }
  return document(did, `${did}#0`, jwk)
}

const DID_SYNTAX = /^did:[a-z0-9]+:[A-Za-z0-9._%:-]+$/

/** Syntax check (DID Core §3.1, restricted to what Bonafide resolves); throws `did.invalid`. */
export function checkDidSyntax(did: unknown): asserts did is string {
  if (typeof did !== 'string' || did.length > 4096 || !DID_SYNTAX.test(did)) throw new DidError('did.invalid', 'not a DID')
}

/** Resolve did:jwk and did:key locally (did:web needs a fetcher: `resolveDidAsync` / `createDidResolver`). */
export function resolveDid(did: string): DidDocument {
  checkDidSyntax(did)
  if (did.startsWith('did:jwk:')) return resolveJwk(did)
  if (did.startsWith('did:key:')) return resolveKey(did)
  if (did.startsWith('did:web:'))
    throw new DidError('did.method_unsupported', 'did:web resolves over HTTPS: use resolveDidAsync with a fetcher')
  throw new DidError('did.method_unsupported', 'unsupported DID method')
}

/**
 * The verification method a DID URL (`did:…#fragment`, or a bare DID with one method) names in a resolved
 * document, checked to be listed under the verification relationship `purpose` (DID Core §5.3).
 */
export function selectVerificationMethod(
  doc: DidDocument,
  didUrl: string,
  purpose: VerificationRelationship,
): VerificationMethod {
  const hash = didUrl.indexOf('#')
  const did = hash < 0 ? didUrl : didUrl.slice(0, hash)
  if (did !== doc.id) throw new DidError('did.fragment_unknown', 'the DID URL names another DID')
  const frag = hash < 0 ? undefined : didUrl.slice(hash)
  const vm = frag
    ? doc.verificationMethod.find((m) => m.id === `${did}${frag}` || m.id === frag)
    : doc.verificationMethod.length === 1
      ? doc.verificationMethod[0]
      : undefined
  if (!vm) throw new DidError('did.fragment_unknown', 'no such verification method')
  const rel = (doc as unknown as Record<string, unknown>)[purpose]
  if (!Array.isArray(rel) || !rel.some((r) => r === vm.id || (isJsonObject(r) && (r as JsonObject).id === vm.id))) {
    throw new DidError('did.relationship_missing', `the key is not listed under ${purpose}`)
  }
  return vm
}

/**
 * The key behind a DID URL (`did:…#fragment`, or a bare DID with one method) for a purpose:
 * the method must be listed under that verification relationship (assertionMethod to issue,
 * authentication for holders). Synchronous: did:jwk and did:key (see `resolveDidKeyAsync` for did:web).
 */
export function resolveDidKey(
  didUrl: string,
  o: { purpose: VerificationRelationship; resolve?: (did: string) => DidDocument },
): PublicJwk {
  const hash = didUrl.indexOf('#')
  const did = hash < 0 ? didUrl : didUrl.slice(0, hash)
  return selectVerificationMethod((o.resolve ?? resolveDid)(did), didUrl, o.purpose).publicKeyJwk
}
