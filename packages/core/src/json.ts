import { CoreError } from './errors.js'

export type JsonPrimitive = string | number | boolean | null
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** Default cap on JSON text we are willing to parse from an untrusted source (1 MiB). */
export const DEFAULT_MAX_JSON_BYTES = 1 << 20

/**
 * Parse untrusted JSON text: length-limited, syntax errors become a typed error.
 * `JSON.parse` defines `__proto__` as an own data property, so parsing itself
 * cannot pollute prototypes; walkers must still use own-property checks.
 */
export function parseJson(text: string, opts?: { maxLength?: number; code?: string }): unknown {
  const max = opts?.maxLength ?? DEFAULT_MAX_JSON_BYTES
  if (typeof text !== 'string') throw new CoreError('core.input_invalid', 'JSON input must be a string')
  if (text.length > max) throw new CoreError('core.json_too_large', `JSON input exceeds ${max} characters`)
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new CoreError((opts?.code as 'core.json_invalid') ?? 'core.json_invalid', 'invalid JSON', { cause })
  }
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Own-property check that cannot be fooled by a `hasOwnProperty` claim. */
export function hasOwn(o: object, k: string): boolean {
  return Object.hasOwn(o, k)
}

/** Maximum nesting depth of a JSON value (iterative, so it cannot overflow the stack). */
export function jsonDepth(value: unknown, limit = 1000): number {
  let max = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (d > max) max = d
    if (max > limit) return max
    if (typeof v === 'object' && v !== null) {
      for (const child of Array.isArray(v) ? v : Object.values(v)) {
        if (typeof child === 'object' && child !== null) stack.push([child, d + 1])
      }
    }
  }
  return max
}
