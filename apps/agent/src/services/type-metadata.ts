import { createTypeMetadata, documentIntegrity, type SchemaRegistry, typeMetadataBytes } from '@bonafide/schema'
import { PID_TYPE_METADATA_BYTES, PID_TYPE_METADATA_INTEGRITY, PID_VCT } from '../defaults/pid-schema.js'
import type { CredentialConfiguration } from './configurations.js'

export interface HostedTypeMetadata {
  readonly bytes: Uint8Array
  /** W3C SRI over `bytes`: what credentials carry as `vct#integrity` (SD-JWT VC §5). */
  readonly integrity: string
}

/**
 * SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc-18 §4) for a `dc+sd-jwt` configuration with a
 * registry schema, built from the schema (claim metadata, display) and hosted byte for byte at
 * `/type-metadata/{configuration id}`. The PID keeps its published document.
 */
export async function typeMetadataFor(
  c: CredentialConfiguration,
  registry: SchemaRegistry,
): Promise<HostedTypeMetadata | undefined> {
  if (c.format !== 'dc+sd-jwt') return undefined
  const vct = String(c.metadata.vct)
  if (vct === PID_VCT) return { bytes: PID_TYPE_METADATA_BYTES, integrity: PID_TYPE_METADATA_INTEGRITY }
  if (!c.schemaId) return undefined
  const record = await registry.get(c.schemaId)
  if (!record) return undefined
  const display = (
    c.metadata.credential_metadata as { display?: { name: string; locale?: string; description?: string }[] } | undefined
  )?.display
  const bytes = typeMetadataBytes(
    createTypeMetadata(record, {
      vct,
      ...(display?.length
        ? {
            display: display.map((d) => ({
              locale: d.locale ?? 'en',
              name: d.name,
              ...(d.description ? { description: d.description } : {}),
            })),
          }
        : {}),
    }),
  )
  return { bytes, integrity: documentIntegrity(bytes) }
}
