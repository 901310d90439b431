/**
 * Lagrange four-square decomposition of a predicate's Δ, ported from clsignatures `helpers::four_squares`
 * (same search order, so the same roots: the known-answer tests pin them).
 */
import { AnonCredsError } from '../errors.js'

const isqrt = (d: number): number => Math.floor(Math.sqrt(d))

function search(d: number): [number, number, number, number] {
  const sq = (x: number): number => x * x
  for (let a = isqrt(d); a >= 1; a--) {
    if (d === sq(a)) return [a, 0, 0, 0]
    for (let b = isqrt(d - sq(a)); b >= 1; b--) {
      if (d === sq(a) + sq(b)) return [a, b, 0, 0]
      for (let c = isqrt(d - sq(a) - sq(b)); c >= 1; c--) {
        if (d === sq(a) + sq(b) + sq(c)) return [a, b, c, 0]
        const e = isqrt(d - sq(a) - sq(b) - sq(c))
        if (d === sq(a) + sq(b) + sq(c) + sq(e)) return [a, b, c, e]
      }
    }
  }
  return [0, 0, 0, 0] // only reached for d = 0
}

/** delta = u0² + u1² + u2² + u3², as clsignatures computes it (keys "0".."3"). */
export function fourSquares(delta: number): [bigint, bigint, bigint, bigint] {
  if (!Number.isSafeInteger(delta) || delta < 0) {
    throw new AnonCredsError('anoncreds.predicate_unsatisfied', `Cannot express ${delta} as a sum of four squares`)
  }
  const roots = search(delta)
  return [BigInt(roots[0]), BigInt(roots[1]), BigInt(roots[2]), BigInt(roots[3])]
}
