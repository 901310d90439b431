import { isJsonObject, type JsonValue } from '@bonafide/core'

/** A claim path (SD-JWT VC §4.6.1): strings select keys, integers array indices, `null` all elements. */
export type ClaimPath = readonly (string | number | null)[]
/** A path to one concrete claim (no `null`). */
export type ConcretePath = readonly (string | number)[]

export interface SelectedClaim {
  readonly path: ConcretePath
  readonly value: JsonValue
}

/**
 * Process a claim path against a payload (SD-JWT VC §4.6.1.2): returns the selected claims with
 * their concrete paths, or undefined where processing errors (a key applied to a non-object, an
 * index or `null` to a non-array). Missing keys and indices drop out of the selection.
 */
export function selectClaims(payload: JsonValue, path: ClaimPath): SelectedClaim[] | undefined {
  let sel: SelectedClaim[] = [{ path: [], value: payload }]
  for (const c of path) {
    const next: SelectedClaim[] = []
    for (const s of sel) {
      if (typeof c === 'string') {
        if (!isJsonObject(s.value)) return undefined
        if (Object.hasOwn(s.value, c)) next.push({ path: [...s.path, c], value: s.value[c] as JsonValue })
      } else {
        if (!Array.isArray(s.value)) return undefined
        const arr = s.value
        if (c === null) for (const [i, v] of arr.entries()) next.push({ path: [...s.path, i], value: v })
        else if (c < arr.length) next.push({ path: [...s.path, c], value: arr[c] as JsonValue })
      }
    }
    sel = next
  }
  return sel
}

export function samePath(a: ClaimPath, b: ClaimPath): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i])
}
