import { isJsonObject, type JsonObject } from '@bonafide/core'
import { MdocError, toElementValues } from '@bonafide/mdoc'
import { type DoctypeDefinition, reportOf, type SchemaReport, validateMdocElements } from '@bonafide/schema'

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
