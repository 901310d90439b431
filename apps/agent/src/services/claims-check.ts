import type { JsonObject } from '@bonafide/core'
import { BUILTIN_DOCTYPES, reportOf, type SchemaRegistry, type SchemaReport, SchemaValidator } from '@bonafide/schema'
import { checkMdocClaims } from '../schemas/mdoc-claims.js'
import type { CredentialConfiguration } from './configurations.js'

const validator = new SchemaValidator()

/**
 * Check claims against a configuration's schema: the registry's JSON Schema (SD-JWT VC, W3C), or the
 * built-in doctype definition (mdoc: namespaces of element values, typed JSON counted as its CBOR type).
 * A configuration without a schema accepts any JSON object.
 */
export async function checkClaims(
  c: CredentialConfiguration,
  claims: JsonObject,
  registry: SchemaRegistry,
): Promise<SchemaReport> {
  if (c.format === 'mso_mdoc') {
    const def = BUILTIN_DOCTYPES[String(c.metadata.doctype)]
    if (Object.keys(claims).length === 0) return reportOf([{ path: '', keyword: 'minProperties', message: 'no namespaces' }])
    return def ? checkMdocClaims(def, claims) : reportOf([])
  }
  if (!c.schemaId) return reportOf([])
  const s = await registry.get(c.schemaId)
  if (!s)
    return reportOf([{ path: '', keyword: 'schema', message: 'the configuration names a schema the registry does not have' }])
  return validator.validate(s.schema, claims)
}
