import { SdJwtError } from './errors.js'

/**
 * A claim path as in OpenID4VP §7 and SD-JWT VC §9.1: object keys are strings, array
 * indices are non-negative integers, and `null` selects every element of an array.
 */
export type ClaimPath = readonly (string | number | null)[]
/** A ClaimPath, or a dotted string: `address.street_address`, `nationalities.0`, `degrees.*.type`. */
export type ClaimPathInput = ClaimPath | string

const MAX_PATH = 32

/** Parse a dotted path; all-digit segments are array indices, `*` is every element. */
export function parseClaimPath(input: ClaimPathInput): ClaimPath {
  if (typeof input !== 'string') {
    if (!Array.isArray(input) || input.length === 0 || input.length > MAX_PATH) {
      throw new SdJwtError('sd_jwt.path_invalid', 'a claim path must be a non-empty array')
    }
    for (const s of input) {
      if (!(typeof s === 'string' || s === null || (typeof s === 'number' && Number.isInteger(s) && s >= 0))) {
        throw new SdJwtError('sd_jwt.path_invalid', 'claim path elements are strings, non-negative integers or null')
      }
    }
    return input
  }
  if (input.length === 0) throw new SdJwtError('sd_jwt.path_invalid', 'empty claim path')
  const segs = input.split('.')
  if (segs.length > MAX_PATH || segs.some((s) => s.length === 0))
    throw new SdJwtError('sd_jwt.path_invalid', 'invalid dotted claim path')
  return segs.map((s) => (s === '*' ? null : /^(0|[1-9]\d{0,8})$/.test(s) ? Number(s) : s))
}

/** Render a path for messages and reports (`address.street_address`, `nationalities[0]`). */
export function formatClaimPath(path: ClaimPath): string {
  let out = ''
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : s === null ? '[*]' : out ? `.${s}` : s
  return out
}

/** Does `pattern` (which may hold null wildcards) match `concrete` element by element, up to the shorter length? */
export function pathPrefixMatches(pattern: ClaimPath, concrete: ClaimPath): boolean {
  const n = Math.min(pattern.length, concrete.length)
  for (let i = 0; i < n; i++) {
    const p = pattern[i]
    if (p === null) {
      if (typeof concrete[i] !== 'number') return false
    } else if (p !== concrete[i] && !(typeof p === 'number' && String(p) === concrete[i])) return false
  }
  return true
}
