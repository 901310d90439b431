import { generatePrimeSync } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bn } from '../src/index.js'

const rsa = () => generatePrimeSync(512, { bigint: true }) * generatePrimeSync(512, { bigint: true })

describe('bn.modPow (OpenSSL through a kept Diffie-Hellman object per modulus)', () => {
  it('equals square-and-multiply, for random bases and exponents larger than the modulus', () => {
    const n = rsa()
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: n - 1n }), fc.bigInt({ min: 0n, max: (1n << 1400n) - 1n }), (b, e) => {
        expect(bn.modPow(b, e, n)).toBe(bn.slowPow(b, e, n))
      }),
      { numRuns: 40 },
    )
  })
  it('edge cases: base 0, 1, n-1 (refused by OpenSSL as a public value), exponent 0, negative exponent, tiny moduli', () => {
    const n = rsa()
    expect(bn.modPow(0n, 5n, n)).toBe(0n)
    expect(bn.modPow(1n, 5n, n)).toBe(1n)
    expect(bn.modPow(n - 1n, 3n, n)).toBe(n - 1n)
    expect(bn.modPow(n - 1n, 4n, n)).toBe(1n)
    expect(bn.modPow(7n, 0n, n)).toBe(1n)
    expect(bn.modPow(n + 7n, 3n, n)).toBe(343n)
    expect(bn.modPow(7n, -1n, n)).toBe(bn.modInverse(7n, n))
    expect(bn.modPow(3n, 4n, 8n)).toBe(1n)
    expect(bn.modPow(2n, 10n, 1n)).toBe(0n)
    // below 512 bits OpenSSL's DH computes nothing: those moduli take square-and-multiply
    const small = bn.randomBits(300) | (1n << 299n) | 1n
    expect(bn.modPow(5n, 12345n, small)).toBe(bn.slowPow(5n, 12345n, small))
  })
  it('a result OpenSSL refuses as a Diffie-Hellman secret (here 1) is computed all the same', () => {
    let p: bigint
    do p = generatePrimeSync(521, { bigint: true })
    while (p % 8n !== 1n) // 2 is then a square mod p, and 2^((p-1)/4) is ±1
    const e = (p - 1n) / 4n
    expect(bn.modPow(2n, e, p)).toBe(bn.slowPow(2n, e, p))
    expect(bn.modPow(2n, p - 1n, p)).toBe(1n)
  })
  it('stays right when more moduli are used than it keeps objects for', () => {
    const moduli = Array.from({ length: 70 }, () => bn.randomBits(600) | (1n << 599n) | 1n)
    for (const n of moduli) expect(bn.modPow(5n, 12345n, n)).toBe(bn.slowPow(5n, 12345n, n))
    expect(bn.modPow(5n, 12345n, moduli[0] as bigint)).toBe(bn.slowPow(5n, 12345n, moduli[0] as bigint))
  })
})
