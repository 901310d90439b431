import { expectOk, type Fetcher, isJsonObject, type JsonObject, parseJson, utf8Decode } from '@bonafide/core'
import { SdJwtVcError } from '../errors.js'
import { checkIntegrity } from './integrity.js'

/** A Type Metadata document (SD-JWT VC §7.2) after validation; unknown members are kept. */
export interface TypeMetadata extends JsonObject {
  vct: string
}

export interface TypeMetadataOptions {
  /** Fetch HTTPS `vct` URLs (SD-JWT VC §7.3.1). */
  fetcher?: Fetcher
  /** Local documents by vct (registry or cache, §4.3); consulted first. */
  registry?: ReadonlyMap<string, JsonObject | Uint8Array>
  /** Where to fetch the metadata of a vct that is not itself a URL (a URN): an HTTPS URL, or undefined (§4.3). */
  locate?: (vct: string) => string | undefined
  /** Maximum length of an `extends` chain (default 8). */
  maxDepth?: number
}

/** The resolved chain, most derived type first. */
export interface ResolvedTypeMetadata {
  readonly chain: readonly TypeMetadata[]
}

async function load(vct: string, o: TypeMetadataOptions): Promise<{ doc: unknown; bytes?: Uint8Array }> {
  const local = o.registry?.get(vct)
  if (local instanceof Uint8Array) return { doc: parseJson(utf8Decode(local)), bytes: local }
  if (local) return { doc: local }
  // Only URLs are fetched; the fetcher itself refuses anything but HTTPS to public addresses (unless a test allows it).
  const url = /^https?:\/\//.test(vct) ? vct : o.locate?.(vct)
  if (!o.fetcher || !url || !/^https?:\/\//.test(url)) {
    throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'type metadata is not available for this vct')
  }
  const res = expectOk(await o.fetcher(url, { headers: { accept: 'application/json' }, maxBytes: 256 * 1024 }))
  return { doc: parseJson(utf8Decode(res.body)), bytes: res.body }
}

/**
 * Resolve Type Metadata for a vct with its `extends` chain (§7.4): integrity checked over the
 * bytes as fetched where `vct#integrity` / `extends#integrity` is given, the document's `vct`
 * must equal the reference, and circular `extends` are refused (§9.3).
 */
export async function resolveTypeMetadata(
  vct: string,
  integrity: string | undefined,
  o: TypeMetadataOptions,
): Promise<ResolvedTypeMetadata> {
  const chain: TypeMetadata[] = []
  const seen = new Set<string>()
  let ref: string | undefined = vct
  let refIntegrity = integrity
  while (ref !== undefined) {
    if (seen.has(ref)) throw new SdJwtVcError('sd_jwt_vc.type_metadata_cycle', 'circular extends in type metadata')
    if (chain.length >= (o.maxDepth ?? 8)) throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'extends chain too long')
    seen.add(ref)
    const { doc, bytes } = await load(ref, o)
    if (refIntegrity !== undefined) {
      if (!bytes || !checkIntegrity(bytes, refIntegrity))
        throw new SdJwtVcError('sd_jwt_vc.type_metadata_integrity', 'type metadata integrity check failed')
    }
    if (!isJsonObject(doc) || doc.vct !== ref)
      throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'type metadata vct does not match the reference')
    if (doc.extends !== undefined && typeof doc.extends !== 'string')
      throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'extends must be a string')
    if (doc.display !== undefined && !Array.isArray(doc.display))
      throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'display must be an array')
    if (doc.claims !== undefined && !Array.isArray(doc.claims))
      throw new SdJwtVcError('sd_jwt_vc.type_metadata_invalid', 'claims must be an array')
    chain.push(doc as TypeMetadata)
    ref = doc.extends as string | undefined
    const ei = doc['extends#integrity']
    refIntegrity = typeof ei === 'string' ? ei : undefined
  }
  return { chain }
}
