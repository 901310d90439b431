/** Copies (by index) that share each value; only values held by two or more copies. */
export function shared<V>(entries: Iterable<readonly [V, number]>): Map<V, number[]> {
  const all = new Map<V, Set<number>>()
  for (const [v, copy] of entries) {
    let s = all.get(v)
    if (!s) all.set(v, (s = new Set()))
    s.add(copy)
  }
  const out = new Map<V, number[]>()
  for (const [v, s] of all)
    if (s.size >= 2)
      out.set(
        v,
        [...s].sort((a, b) => a - b),
      )
  return out
}

/** "copies 0, 3" or "all 5 copies", naming at most eight indices. */
export function whichCopies(copies: readonly number[], total: number): string {
  if (copies.length === total) return `all ${total} copies`
  return `copies ${list(copies)}`
}

/** A short comma-separated list: at most eight items, then the count. */
export function list(xs: readonly (number | string)[], max = 8): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, … (${xs.length} in all)`
}
