import { parseWire } from '@bonafide/core'
import { z } from 'zod'
import { reportOf, type SchemaIssue, type SchemaReport } from './report.js'

/** CDDL types of mdoc data elements (ISO/IEC 18013-5 §7.2.1 Table 5 spells them this way). */
export type MdocElementType =
  | 'tstr'
  | 'bstr'
  | 'uint'
  | 'int'
  | 'bool'
  | 'full-date'
  | 'tdate'
  | 'full-date-or-tdate'
  | 'array'
  | 'map'
  | 'any'

export interface MdocElementDefinition {
  readonly type: MdocElementType
  readonly required?: boolean
  readonly description?: string
  /** tstr: longest length in characters; array: most items. */
  readonly maxLength?: number
  /** tstr: regular expression the whole value must match. */
  readonly pattern?: string
  /** Allowed values (tstr, uint, int). */
  readonly enum?: readonly (string | number)[]
  /** array: the definition of each item. */
  readonly items?: MdocElementDefinition
  /** map: the definitions of its members (by string key). */
  readonly elements?: Readonly<Record<string, MdocElementDefinition>>
}

export type NamespaceDefinition = Readonly<Record<string, MdocElementDefinition>>

/** A doctype: its namespaces' data elements, plus families named by pattern (e.g. `age_over_NN`). */
export interface DoctypeDefinition {
  readonly docType: string
  readonly namespaces: Readonly<Record<string, NamespaceDefinition>>
  readonly patterns?: Readonly<Record<string, readonly { readonly pattern: string; readonly element: MdocElementDefinition }[]>>
}

const zType = z.enum(['tstr', 'bstr', 'uint', 'int', 'bool', 'full-date', 'tdate', 'full-date-or-tdate', 'array', 'map', 'any'])
const zElement: z.ZodType<MdocElementDefinition> = z.lazy(() =>
  z.strictObject({
    type: zType,
    required: z.boolean().optional(),
    description: z.string().max(1024).optional(),
    maxLength: z.int().nonnegative().optional(),
    pattern: z.string().max(256).optional(),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .max(256)
      .optional(),
    items: zElement.optional(),
    elements: z.record(z.string(), zElement).optional(),
  }),
)
const zDoctype = z.strictObject({
  docType: z.string().min(1).max(256),
  namespaces: z.record(z.string().min(1).max(256), z.record(z.string().min(1).max(256), zElement)),
  patterns: z.record(z.string(), z.array(z.strictObject({ pattern: z.string().max(256), element: zElement })).max(64)).optional(),
})

/** Parse an untrusted doctype definition (e.g. loaded from a file); fails with `schema.doctype_invalid`. */
export function parseDoctypeDefinition(input: unknown): DoctypeDefinition {
  return parseWire(zDoctype, input, 'schema.doctype_invalid')
}

export interface ValidateMdocElementsOptions {
  /**
   * `issued` (default): all the issuer's elements are given, so required ones must be present.
   * `disclosed`: a presentation, where the holder discloses a subset; absent elements are fine.
   */
  presence?: 'issued' | 'disclosed'
  /** Elements of a defined namespace that the definition does not know: `ignore` (default) or `reject`. */
  unknown?: 'ignore' | 'reject'
}

/**
 * Check decoded mdoc namespaces against a doctype: required elements present, each value of its
 * CDDL type. Values as a CBOR decoder yields them: strings, numbers/bigints, booleans,
 * Uint8Array, arrays, Map or plain objects; full-date as tag 1004 (`{ tag, value }`), a
 * `YYYY-MM-DD` string or a Date; tdate as tag 0, an RFC 3339 string or a Date.
 * Paths are JSON Pointers `/<namespace>/<element>[/…]`.
 * @example validateMdocElements(MDL_DOCTYPE, { 'org.iso.18013.5.1': { family_name: 'Doe', … } })
 */
export function validateMdocElements(
  def: DoctypeDefinition,
  namespaces: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  o: ValidateMdocElementsOptions = {},
): SchemaReport {
  const errors: SchemaIssue[] = []
  for (const [ns, elements] of Object.entries(def.namespaces)) {
    const given = Object.hasOwn(namespaces, ns) ? namespaces[ns] : undefined
    if ((o.presence ?? 'issued') === 'issued')
      for (const [name, el] of Object.entries(elements))
        if (el.required && !(given && Object.hasOwn(given, name)))
          errors.push({ path: ptr(ns, name), keyword: 'required', message: 'required data element is missing' })
    for (const [name, value] of Object.entries(given ?? {})) {
      const el = elementFor(def, ns, name)
      if (el) checkValue(el, value, ptr(ns, name), errors, 0)
      else if (o.unknown === 'reject')
        errors.push({ path: ptr(ns, name), keyword: 'unknown', message: 'data element is not defined for this doctype' })
    }
  }
  return reportOf(errors)
}

const ptr = (...t: string[]) => t.map((x) => `/${x.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')

function elementFor(def: DoctypeDefinition, ns: string, name: string): MdocElementDefinition | undefined {
  const elements = def.namespaces[ns]
  if (elements && Object.hasOwn(elements, name)) return elements[name]
  return def.patterns?.[ns]?.find((p) => new RegExp(`^(?:${p.pattern})$`).test(name))?.element
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// ISO 18013-5 §7.1: tdate without fractional seconds, in UTC.
const TDATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

function tagged(v: unknown): { tag: number; value: unknown } | undefined {
  if (typeof v !== 'object' || v === null || !('tag' in v) || !('value' in v)) return undefined
  return typeof v.tag === 'number' ? { tag: v.tag, value: v.value } : undefined
}

function isFullDate(v: unknown): boolean {
  const t = tagged(v)
  const s = t ? (t.tag === 1004 ? t.value : undefined) : v
  if (s instanceof Date) return !Number.isNaN(s.getTime())
  const m = typeof s === 'string' ? FULL_DATE.exec(s) : null
  return m !== null && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s as string)
}

function isTdate(v: unknown): boolean {
  const t = tagged(v)
  const s = t ? (t.tag === 0 ? t.value : undefined) : v
  if (s instanceof Date) return !Number.isNaN(s.getTime())
  return typeof s === 'string' && TDATE.test(s) && !Number.isNaN(Date.parse(s))
}

const isInt = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'bigint'
const TYPE_CHECKS: Record<MdocElementType, (v: unknown) => boolean> = {
  tstr: (v) => typeof v === 'string',
  bstr: (v) => v instanceof Uint8Array,
  uint: (v) => isInt(v) && (v as number | bigint) >= 0,
  int: isInt,
  bool: (v) => typeof v === 'boolean',
  'full-date': isFullDate,
  tdate: isTdate,
  'full-date-or-tdate': (v) => isFullDate(v) || isTdate(v),
  array: Array.isArray,
  map: (v) => v instanceof Map || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype),
  any: () => true,
}

function checkValue(el: MdocElementDefinition, v: unknown, path: string, errors: SchemaIssue[], depth: number): void {
  if (!TYPE_CHECKS[el.type](v)) {
    errors.push({ path, keyword: 'type', message: `must be ${el.type}` })
    return
  }
  if (
    el.enum &&
    !el.enum.some(
      (e) => e === v || (typeof v === 'bigint' && typeof e === 'number' && Number.isSafeInteger(e) && BigInt(e) === v),
    )
  )
    errors.push({ path, keyword: 'enum', message: 'must be one of the defined values' })
  if (typeof v === 'string') {
    if (el.maxLength !== undefined && [...v].length > el.maxLength)
      errors.push({ path, keyword: 'maxLength', message: `must be at most ${el.maxLength} characters` })
    if (el.pattern !== undefined && !new RegExp(`^(?:${el.pattern})$`, 'u').test(v))
      errors.push({ path, keyword: 'pattern', message: 'does not have the defined form' })
  }
  if (depth >= 8) return
  if (Array.isArray(v)) {
    if (el.maxLength !== undefined && v.length > el.maxLength)
      errors.push({ path, keyword: 'maxItems', message: `must have at most ${el.maxLength} items` })
    if (el.items) for (const [i, x] of v.entries()) checkValue(el.items, x, `${path}/${i}`, errors, depth + 1)
  } else if (el.type === 'map' && el.elements) {
    const m = v instanceof Map ? v : new Map(Object.entries(v as object))
    for (const [k, sub] of Object.entries(el.elements)) {
      const p = `${path}${ptr(k)}`
      if (!m.has(k)) {
        if (sub.required) errors.push({ path: p, keyword: 'required', message: 'required member is missing' })
      } else checkValue(sub, m.get(k), p, errors, depth + 1)
    }
  }
}
