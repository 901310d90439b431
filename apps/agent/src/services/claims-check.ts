import { isJsonObject, type JsonObject } from '@bonafide/core'
import { MdocError, toElementValues } from '@bonafide/mdoc'
import {
  BUILTIN_DOCTYPES,
  type DoctypeDefinition,
  reportOf,
  type SchemaRegistry,
  type SchemaReport,
  SchemaValidator,
  validateMdocElements,
} from '@bonafide/schema'
import type { CredentialConfiguration } from './configurations.js'

const validator = new SchemaValidator()

/** mdoc claims (namespaces of element values; typed JSON counts as its CBOR type) against a doctype definition. */
export function checkMdocClaims(def: DoctypeDefinition, claims: JsonObject): SchemaReport {
  const namespaces: Record<string, JsonObject> = {}
  for (const [ns, els] of Object.entries(claims)) {
    if (!isJsonObject(els)) return reportOf([{ path: `/${ns}`, keyword: 'type', message: 'a namespace must be a map' }])
    namespaces[ns] = els
  }
  let values: ReturnType<typeof toElementValues>
  try {
    values = toElementValues(namespaces)
  } catch (e) {
    if (!(e instanceof MdocError) || typeof e.details?.path !== 'string') throw e
    return reportOf([{ path: e.details.path, keyword: 'type', message: 'malformed typed element value' }])
  }
  return validateMdocElements(def, values, { unknown: 'reject' })
}

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
