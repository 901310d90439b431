import { Buffer } from 'node:buffer'
import { ECDH } from 'node:crypto'
import { b64uDecode, b64uDecodeUtf8, b64uEncode, isJsonObject, type JsonObject } from '@bonafide/core'
import { type PublicJwk, parsePublicJwk, publicJwkMembers } from '@bonafide/keys'
import { base58Decode, base58Encode } from './base58.js'
import { DidError } from './errors.js'

export type VerificationRelationship =
  | 'assertionMethod'
  | 'authentication'
  | 'keyAgreement'
  | 'capabilityInvocation'
  | 'capabilityDelegation'

export interface VerificationMethod {
  id: string
  type: 'JsonWebKey2020' | 'Multikey'
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

// Multicodec varint prefixes: p256-pub 0x1200, ed25519-pub 0xed.
const P256 = [0x80, 0x24]
const ED25519 = [0xed, 0x01]

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
  if (jwk.kty === 'OKP') return `did:key:z${base58Encode(new Uint8Array([...ED25519, ...b64uDecode(jwk.x)]))}`
  if (jwk.crv !== 'P-256') throw new DidError('did.key_unsupported', 'did:key supports P-256 and Ed25519 here')
  const y = b64uDecode(jwk.y)
  const compressed = new Uint8Array([(y[31] as number) & 1 ? 0x03 : 0x02, ...b64uDecode(jwk.x)])
  return `did:key:z${base58Encode(new Uint8Array([...P256, ...compressed]))}`
}

function resolveKey(did: string): DidDocument {
  const mb = did.slice('did:key:'.length)
  if (!mb.startsWith('z')) throw new DidError('did.invalid', 'did:key must be multibase base58btc')
  const bytes = base58Decode(mb.slice(1))
  let jwk: PublicJwk
  try {
    if (bytes[0] === ED25519[0] && bytes[1] === ED25519[1] && bytes.length === 34)
      jwk = parsePublicJwk({ kty: 'OKP', crv: 'Ed25519', x: b64uEncode(bytes.subarray(2)) })
    else if (bytes[0] === P256[0] && bytes[1] === P256[1] && bytes.length === 35) {
      const full = ECDH.convertKey(Buffer.from(bytes.subarray(2)), 'prime256v1', undefined, undefined, 'uncompressed') as Buffer
      jwk = parsePublicJwk({ kty: 'EC', crv: 'P-256', x: b64uEncode(full.subarray(1, 33)), y: b64uEncode(full.subarray(33, 65)) })
    } else throw new DidError('did.key_unsupported', 'unsupported did:key multicodec')
  } catch (cause) {
    if (cause instanceof DidError) throw cause
    throw new DidError('did.invalid', 'did:key does not hold a valid key', { cause })
  }
  return document(did, `${did}#${mb}`, jwk, mb)
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

/** Resolve did:jwk and did:key locally (did:web needs a fetcher: resolveDidWeb). */
export function resolveDid(did: string): DidDocument {
  if (typeof did !== 'string' || did.length > 4096 || !/^did:[a-z0-9]+:[A-Za-z0-9._%:-]+$/.test(did))
    throw new DidError('did.invalid', 'not a DID')
  if (did.startsWith('did:jwk:')) return resolveJwk(did)
  if (did.startsWith('did:key:')) return resolveKey(did)
  throw new DidError('did.method_unsupported', 'unsupported DID method')
}

/**
 * The key behind a DID URL (`did:…#fragment`, or a bare DID with one method) for a purpose:
 * the method must be listed under that verification relationship (assertionMethod to issue,
 * authentication for holders).
 */
export function resolveDidKey(
  didUrl: string,
  o: { purpose: VerificationRelationship; resolve?: (did: string) => DidDocument },
): PublicJwk {
  const hash = didUrl.indexOf('#')
  const did = hash < 0 ? didUrl : didUrl.slice(0, hash)
  const doc = (o.resolve ?? resolveDid)(did)
  const frag = hash < 0 ? undefined : didUrl.slice(hash)
  const vm = frag
    ? doc.verificationMethod.find((m) => m.id === `${did}${frag}` || m.id === frag)
    : doc.verificationMethod.length === 1
      ? doc.verificationMethod[0]
      : undefined
  if (!vm) throw new DidError('did.fragment_unknown', 'no such verification method')
  const rel = (doc as unknown as Record<string, unknown>)[o.purpose]
  if (!Array.isArray(rel) || !rel.some((r) => r === vm.id || (isJsonObject(r) && (r as JsonObject).id === vm.id))) {
    throw new DidError('did.relationship_missing', `the key is not listed under ${o.purpose}`)
  }
  return vm.publicKeyJwk
}
