/**
 * AnonCreds object identifiers: any URI (new style, e.g. `did:indy:…`, `did:web:…/resource/…`) or the legacy
 * Indy shapes. Regular expressions copied from anoncreds-rs `src/utils/validation.rs`; an identifier is valid
 * when it is a URI or matches the legacy shape of its kind (`impl_anoncreds_object_identifier!` in
 * `src/data_types/macros.rs`).
 */
import { z } from 'zod'
import { AnonCredsError } from '../errors.js'
import { LIMITS } from './limits.js'

// Rust's `.` matches anything but \n; JavaScript's also excludes \r, U+2028, U+2029, hence [^\n].
export const URI_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9+\-.]*:[^\n]+$/
export const LEGACY_DID_IDENTIFIER = /^[1-9A-HJ-NP-Za-km-z]{21,22}$/
export const LEGACY_SCHEMA_IDENTIFIER = /^([1-9A-HJ-NP-Za-km-z]{21,22}):2:([^:]+):([0-9.]+)$/
export const LEGACY_CRED_DEF_IDENTIFIER =
  /^([1-9A-HJ-NP-Za-km-z]{21,22}):3:CL:(([1-9][0-9]*)|([a-zA-Z0-9]{21,22}:2:[^:]+:[0-9.]+)):([^:]+)?$/
export const LEGACY_REV_REG_DEF_IDENTIFIER =
  /^([1-9A-HJ-NP-Za-km-z]{21,22}):4:([1-9A-HJ-NP-Za-km-z]{21,22}:3:CL:(([1-9][0-9]*)|([a-zA-Z0-9]{21,22}:2:[^:]+:[0-9.]+)):([^:]+)):CL_ACCUM:([^:]+)?$/

export type IdentifierKind = 'issuer' | 'schema' | 'credentialDefinition' | 'revocationRegistryDefinition'

export type ParsedIdentifier =
  | { kind: IdentifierKind; format: 'uri'; id: string }
  | { kind: 'issuer'; format: 'legacy'; id: string; did: string }
  | { kind: 'schema'; format: 'legacy'; id: string; did: string; name: string; version: string }
  | {
      kind: 'credentialDefinition'
      format: 'legacy'
      id: string
      did: string
      signatureType: 'CL'
      /** The schema's ledger sequence number, or a full legacy schema id (older credential definition ids). */
      schemaRef: { seqNo: number } | { schemaId: string }
      /** Empty when the id ends in ":" (the tag group is optional in the anoncreds-rs regex). */
      tag: string
    }
  | {
      kind: 'revocationRegistryDefinition'
      format: 'legacy'
      id: string
      did: string
      credDefId: string
      registryType: 'CL_ACCUM'
      tag: string
    }

const isUri = (s: string) => URI_IDENTIFIER.test(s)

/** Whether `id` is a URI identifier (any scheme). */
export const isUriIdentifier = isUri

function schemaRef(seqNo: string | undefined, schemaId: string | undefined): { seqNo: number } | { schemaId: string } {
  return seqNo !== undefined ? { seqNo: Number(seqNo) } : { schemaId: schemaId ?? '' }
}

/**
 * Classifies and splits an identifier. Legacy shapes win over the URI reading when both match (a legacy id with
 * a schema-like prefix can look like a URI to the permissive URI regex; anoncreds-rs accepts either reading).
 * Throws `anoncreds.invalid_object` when the id is neither.
 * @example parseIdentifier('schema', 'DXoTtQJNtXtiwWaZAK3rB1:2:example:1.0') // { format: 'legacy', name: 'example', … }
 */
export function parseIdentifier(kind: IdentifierKind, id: string): ParsedIdentifier {
  const r = tryParseIdentifier(kind, id)
  if (!r) throw new AnonCredsError('anoncreds.invalid_object', `not a valid ${kind} identifier`, { details: { kind } })
  return r
}

export function tryParseIdentifier(kind: IdentifierKind, id: string): ParsedIdentifier | undefined {
  if (typeof id !== 'string' || id.length > LIMITS.maxIdentifierLength) return undefined
  switch (kind) {
    case 'issuer':
      if (LEGACY_DID_IDENTIFIER.test(id)) return { kind, format: 'legacy', id, did: id }
      break
    case 'schema': {
      const m = LEGACY_SCHEMA_IDENTIFIER.exec(id)
      if (m) return { kind, format: 'legacy', id, did: m[1] as string, name: m[2] as string, version: m[3] as string }
      break
    }
    case 'credentialDefinition': {
      const m = LEGACY_CRED_DEF_IDENTIFIER.exec(id)
      if (m) {
        return {
          kind,
          format: 'legacy',
          id,
          did: m[1] as string,
          signatureType: 'CL',
          schemaRef: schemaRef(m[3], m[4]),
          tag: m[5] ?? '',
        }
      }
      break
    }
    case 'revocationRegistryDefinition': {
      const m = LEGACY_REV_REG_DEF_IDENTIFIER.exec(id)
      if (m) {
        return {
          kind,
          format: 'legacy',
          id,
          did: m[1] as string,
          credDefId: m[2] as string,
          registryType: 'CL_ACCUM',
          tag: m[7] ?? '',
        }
      }
      break
    }
  }
  if (isUri(id)) return { kind, format: 'uri', id }
  return undefined
}

/** Whether `id` is a legacy Indy identifier of `kind`. */
export function isLegacyIdentifier(kind: IdentifierKind, id: string): boolean {
  return tryParseIdentifier(kind, id)?.format === 'legacy'
}

function zIdentifier(kind: IdentifierKind) {
  return z
    .string()
    .max(LIMITS.maxIdentifierLength)
    .refine((s) => tryParseIdentifier(kind, s) !== undefined, { message: `must be a URI or a legacy ${kind} identifier` })
}

export const zIssuerId = zIdentifier('issuer')
export const zSchemaId = zIdentifier('schema')
export const zCredentialDefinitionId = zIdentifier('credentialDefinition')
export const zRevocationRegistryDefinitionId = zIdentifier('revocationRegistryDefinition')
