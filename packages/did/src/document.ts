import { isJsonObject, parseWire } from '@bonafide/core'
import { jwkThumbprint, type PublicJwk, parsePublicJwk, publicJwkMembers } from '@bonafide/keys'
import { z } from 'zod'
import type { DidDocument, VerificationMethod, VerificationRelationship } from './did.js'
import { DidError } from './errors.js'
import { multibaseToJwk } from './multikey.js'

const RELATIONSHIPS: readonly VerificationRelationship[] = [
  'assertionMethod',
  'authentication',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
]
const SUPPORTED_TYPES = new Set(['JsonWebKey2020', 'JsonWebKey', 'Multikey'])
const MAX_METHODS = 64

const zId = z.string().min(1).max(2048)
const zMethod = z.looseObject({
  id: zId,
  type: z.string().min(1).max(128),
  controller: zId,
  publicKeyJwk: z.record(z.string(), z.unknown()).optional(),
  publicKeyMultibase: z.string().min(2).max(128).optional(),
})
const zRelationship = z
  .array(z.union([zId, zMethod]))
  .max(MAX_METHODS)
  .optional()
const zDocument = z.looseObject({
  '@context': z.union([z.string(), z.array(z.unknown()).max(16)]).optional(),
  id: zId,
  controller: z.union([zId, z.array(zId).max(16)]).optional(),
  verificationMethod: z.array(zMethod).max(MAX_METHODS).optional(),
  assertionMethod: zRelationship,
  authentication: zRelationship,
  keyAgreement: zRelationship,
  capabilityInvocation: zRelationship,
  capabilityDelegation: zRelationship,
})

// Relative DID URLs (`#key-1`) are resolved against the document's DID (DID Core §3.2.2).
function absolute(did: string, id: string): string {
  return id.startsWith('#') ? `${did}${id}` : id
}

function method(did: string, m: z.output<typeof zMethod>): VerificationMethod | undefined {
  if (!SUPPORTED_TYPES.has(m.type)) return undefined // other suites are not usable here; references to them fail later
  const id = absolute(did, m.id)
  if (!id.startsWith(`${did}#`) || id.length === did.length + 1)
    throw new DidError('did.document_invalid', 'a verification method id must be a DID URL of this DID')
  if (!m.controller.startsWith('did:')) throw new DidError('did.document_invalid', 'controller must be a DID')
  if ((m.publicKeyJwk === undefined) === (m.publicKeyMultibase === undefined))
    throw new DidError('did.document_invalid', 'a verification method has exactly one of publicKeyJwk and publicKeyMultibase')
  let jwk: PublicJwk
  try {
    jwk = m.publicKeyJwk ? parsePublicJwk(m.publicKeyJwk) : multibaseToJwk(m.publicKeyMultibase as string)
  } catch (cause) {
    throw new DidError('did.document_invalid', 'a verification method holds no valid public key', { cause })
  }
  if ((m.type === 'Multikey') !== (m.publicKeyMultibase !== undefined))
    throw new DidError('did.document_invalid', 'Multikey carries publicKeyMultibase; JsonWebKey(2020) carries publicKeyJwk')
  return {
    id,
    type: m.type as VerificationMethod['type'],
    controller: m.controller,
    publicKeyJwk: jwk,
    ...(m.publicKeyMultibase ? { publicKeyMultibase: m.publicKeyMultibase } : {}),
  }
}

/**
 * Parse a DID document strictly (DID Core §5): `id` must equal the resolved DID, supported verification methods
 * (JsonWebKey2020 and JsonWebKey with publicKeyJwk, Multikey with publicKeyMultibase) are validated keys with unique
 * ids, and relationships (references or embedded methods) are normalised to absolute references.
 */
export function parseDidDocument(input: unknown, did: string): DidDocument {
  const raw = parseWire(zDocument, input, 'did.document_invalid')
  if (raw.id !== did) throw new DidError('did.document_invalid', 'the document id is not the resolved DID')
  const methods: VerificationMethod[] = []
  const add = (m: z.output<typeof zMethod>): string => {
    const vm = method(did, m)
    const id = absolute(did, m.id)
    if (vm) {
      if (methods.some((x) => x.id === vm.id)) throw new DidError('did.document_invalid', 'duplicate verification method id')
      methods.push(vm)
    }
    return id
  }
  for (const m of raw.verificationMethod ?? []) add(m)
  const rels: Partial<Record<VerificationRelationship, string[]>> = {}
  for (const r of RELATIONSHIPS) {
    const list = raw[r]
    if (list) rels[r] = list.map((e) => (typeof e === 'string' ? absolute(did, e) : add(e)))
  }
  const ctx = raw['@context']
  return {
    '@context': (Array.isArray(ctx) ? ctx : ctx === undefined ? [] : [ctx]).filter((c): c is string => typeof c === 'string'),
    id: did,
    verificationMethod: methods,
    assertionMethod: rels.assertionMethod ?? [],
    authentication: rels.authentication ?? [],
    capabilityInvocation: rels.capabilityInvocation ?? [],
    capabilityDelegation: rels.capabilityDelegation ?? [],
    ...(rels.keyAgreement ? { keyAgreement: rels.keyAgreement } : {}),
  }
}

export interface DidWebKey {
  publicJwk: PublicJwk
  /** Fragment without `#` (default: the key's JWK thumbprint). */
  fragment?: string
  /** Default: assertionMethod and authentication. */
  relationships?: readonly VerificationRelationship[]
}

/**
 * The DID document an agent hosts for its did:web (at `didWebUrl(did)`, e.g. /.well-known/did.json).
 * @example
 * const doc = createDidWebDocument({ did: 'did:web:verifier.example', keys: [{ publicJwk: signer.publicJwk }] })
 */
export function createDidWebDocument(o: { did: string; keys: readonly (DidWebKey | PublicJwk)[] }): DidDocument {
  if (!o.did.startsWith('did:web:')) throw new DidError('did.invalid', 'not a did:web DID')
  if (o.keys.length === 0) throw new DidError('did.invalid', 'a DID document needs at least one key')
  const doc: DidDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: o.did,
    verificationMethod: [],
    assertionMethod: [],
    authentication: [],
    capabilityInvocation: [],
    capabilityDelegation: [],
  }
  for (const k of o.keys) {
    const key: DidWebKey = isJsonObject(k) && 'publicJwk' in k ? (k as DidWebKey) : { publicJwk: k as PublicJwk }
    const publicJwk = publicJwkMembers(parsePublicJwk(key.publicJwk))
    const id = `${o.did}#${key.fragment ?? jwkThumbprint(publicJwk)}`
    if (doc.verificationMethod.some((m) => m.id === id)) throw new DidError('did.invalid', 'duplicate key fragment')
    doc.verificationMethod.push({ id, type: 'JsonWebKey2020', controller: o.did, publicKeyJwk: publicJwk })
    for (const r of key.relationships ?? ['assertionMethod', 'authentication']) (doc[r] ??= []).push(id)
  }
  parseDidDocument(JSON.parse(JSON.stringify(doc)), o.did) // what we host must parse back
  return doc
}
