import type { z } from 'zod'
import { VcError } from './errors.js'

/**
 * Validate untrusted input against a zod schema and throw a typed error with the given code.
 * The message lists the failing paths, never the values.
 */
export function parseWire<S extends z.ZodType>(schema: S, input: unknown, code: string): z.output<S> {
  const r = schema.safeParse(input)
  if (r.success) return r.data
  const paths = r.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.code}`)
  throw new VcError(code, `invalid input at ${paths.join('; ')}`, {
    details: { issues: r.error.issues.map((i) => ({ path: i.path.map(String), code: i.code })) },
  })
}
