import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from '@bonafide/core'
import type { ClaimPath } from './claim-path.js'
import type { Disclosure } from './disclosure.js'
import { SdJwtError } from './errors.js'

/** Where a disclosure landed in the processed payload. */
export interface DisclosurePath {
  readonly path: ClaimPath
  readonly disclosure: Disclosure
}

export interface ProcessResult {
  /** The Processed SD-JWT Payload (§7.1): `_sd`, `_sd_alg` and undisclosed array digests removed. */
  readonly claims: JsonObject
  readonly paths: readonly DisclosurePath[]
}

function define(o: Record<string, JsonValue>, k: string, v: JsonValue): void {
  // A claim named `__proto__` must stay a plain own property: assignment would set the prototype.
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  else o[k] = v
}

/**
 * RFC 9901 §7.1 step 3-5: replace embedded digests with disclosed values, recursively, rejecting
 * wrong-form disclosures (§7.1 3.c.ii.1, iii.1), reserved names (3.c.ii.2), collisions (3.c.ii.3),
 * repeated digests (4) and unreferenced disclosures (5). Depth is bounded.
 */
export function processPayload(payload: JsonObject, disclosures: readonly Disclosure[], maxDepth: number): ProcessResult {
  const byDigest = new Map<string, Disclosure>()
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) throw new SdJwtError('sd_jwt.disclosure_duplicate', 'the same disclosure was given twice')
    byDigest.set(d.digest, d)
  }
  const seen = new Set<string>()
  const used = new Set<string>()
  const paths: DisclosurePath[] = []

  const take = (digest: unknown, where: 'object' | 'array'): Disclosure | undefined => {
    if (typeof digest !== 'string') {
      throw new SdJwtError(where === 'object' ? 'sd_jwt.sd_invalid' : 'sd_jwt.array_digest_invalid', 'digests must be strings')
    }
    if (seen.has(digest)) throw new SdJwtError('sd_jwt.digest_duplicate', 'a digest appears more than once')
    seen.add(digest)
    const d = byDigest.get(digest)
    if (d) used.add(digest)
    return d
  }

  const walk = (value: JsonValue, path: (string | number)[], depth: number): JsonValue => {
    if (depth > maxDepth) throw new SdJwtError('sd_jwt.too_deep', 'claims are nested too deeply')
    if (Array.isArray(value)) {
      const out: JsonValue[] = []
      for (const el of value) {
        if (isJsonObject(el) && hasOwn(el, '...')) {
          if (Object.keys(el).length !== 1)
            throw new SdJwtError('sd_jwt.array_digest_invalid', 'an array digest object has exactly one key')
          const d = take(el['...'], 'array')
          if (!d) continue // undisclosed or decoy: removed (§7.1 3.d)
          if (d.name !== undefined)
            throw new SdJwtError('sd_jwt.disclosure_wrong_form', 'array element disclosures have 2 elements')
          const p = [...path, out.length]
          paths.push({ path: p, disclosure: d })
          out.push(walk(d.value, p, depth + 1))
        } else {
          out.push(walk(el, [...path, out.length], depth + 1))
        }
      }
      return out
    }
    if (!isJsonObject(value)) return value
    const out: Record<string, JsonValue> = {}
    for (const k of Object.keys(value)) {
      if (k === '_sd' || (depth === 0 && k === '_sd_alg')) continue
      define(out, k, walk(value[k] as JsonValue, [...path, k], depth + 1))
    }
    const sd = value._sd
    if (sd !== undefined) {
      if (!Array.isArray(sd)) throw new SdJwtError('sd_jwt.sd_invalid', '_sd must be an array of strings')
      for (const digest of sd) {
        const d = take(digest, 'object')
        if (!d) continue
        if (d.name === undefined)
          throw new SdJwtError('sd_jwt.disclosure_wrong_form', 'object property disclosures have 3 elements')
        if (d.name === '_sd' || d.name === '...')
          throw new SdJwtError('sd_jwt.claim_name_reserved', 'a disclosure may not name _sd or ...')
        if (hasOwn(out, d.name) || hasOwn(value, d.name))
          throw new SdJwtError('sd_jwt.claim_name_collision', 'disclosed claim name already exists')
        const p = [...path, d.name]
        paths.push({ path: p, disclosure: d })
        define(out, d.name, walk(d.value, p, depth + 1))
      }
    }
    return out
  }

  const claims = walk(payload, [], 0) as JsonObject
  if (used.size !== byDigest.size)
    throw new SdJwtError('sd_jwt.disclosure_unreferenced', 'a disclosure is not referenced by any digest')
  return { claims, paths }
}
