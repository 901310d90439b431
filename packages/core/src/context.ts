import { randomBytes } from 'node:crypto'

/** Time source. Everything that checks or stamps time takes one; tests inject a fake. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Seconds since the epoch (JWT NumericDate) from a clock. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000)
}

/** Randomness source; injected so that tests can be deterministic. */
export interface RandomSource {
  bytes(n: number): Uint8Array
}

export const systemRandom: RandomSource = {
  bytes(n: number): Uint8Array {
    const b = randomBytes(n)
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  },
}

/** A clock tests can move by hand. */
export class FakeClock implements Clock {
  #ms: number
  constructor(ms: number | Date = 1_700_000_000_000) {
    this.#ms = typeof ms === 'number' ? ms : ms.getTime()
  }
  now(): number {
    return this.#ms
  }
  set(ms: number): void {
    this.#ms = ms
  }
  advance(ms: number): void {
    this.#ms += ms
  }
  advanceSeconds(s: number): void {
    this.#ms += s * 1000
  }
}
