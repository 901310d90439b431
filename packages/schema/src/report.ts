/** One failed check: where (a JSON Pointer, RFC 6901, into the claims), which keyword, and why. */
export interface SchemaIssue {
  readonly path: string
  readonly keyword: string
  readonly message: string
}

/** The outcome of validating claims: valid, or every failed field. */
export interface SchemaReport {
  readonly valid: boolean
  readonly errors: readonly SchemaIssue[]
}

/** Escape one reference token (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function pointerToken(t: string | number): string {
  return String(t).replaceAll('~', '~0').replaceAll('/', '~1')
}

export function pointerAppend(pointer: string, token: string | number): string {
  return `${pointer}/${pointerToken(token)}`
}

/** A JSON Pointer for a claim path; a `null` (all array elements) component is written `*`. */
export function pointerOf(path: readonly (string | number | null)[]): string {
  return path.map((c) => `/${c === null ? '*' : pointerToken(c)}`).join('')
}

export function reportOf(errors: SchemaIssue[]): SchemaReport {
  return { valid: errors.length === 0, errors }
}
