import { isJsonObject, jsonDepth, parseJson } from '@bonafide/core'
import type { z } from 'zod'
import { PexError, type PexErrorCode } from './errors.js'

/** Bounds on untrusted PEX objects: sizes before parsing, counts in the schemas. */
export const PEX_LIMITS = {
  chars: 128 * 1024,
  depth: 48,
  descriptors: 64,
  fields: 64,
  paths: 16,
  requirements: 32,
  nesting: 4,
  groups: 16,
  descriptorMap: 64,
  pathNesting: 4,
  string: 1024,
} as const

/** Size-limit, then zod-parse; failures become a PexError with issue paths (never values). */
export function parsePexWire<S extends z.ZodType>(schema: S, input: unknown, code: PexErrorCode): z.output<S> {
  let value: unknown = input
  if (typeof input === 'string') {
    try {
      value = parseJson(input, { maxLength: PEX_LIMITS.chars })
    } catch (cause) {
      throw new PexError(code, 'not JSON or too large', { cause })
    }
  } else {
    if (!isJsonObject(input)) throw new PexError(code, 'must be a JSON object')
    if (jsonDepth(input, PEX_LIMITS.depth) > PEX_LIMITS.depth) throw new PexError(code, 'nested too deeply')
    let text: string
    try {
      text = JSON.stringify(input)
    } catch (cause) {
      throw new PexError(code, 'is not plain JSON', { cause })
    }
    if (text.length > PEX_LIMITS.chars) throw new PexError(code, 'too large')
  }
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String), code: i.code }))
  const where = issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.code}`)
  throw new PexError(code, `invalid at ${where.join('; ')}`, { details: { issues } })
}

export const fail = (code: PexErrorCode, where: string, what: string): never => {
  throw new PexError(code, `${where}: ${what}`, { details: { where } })
}
