import { b64uDecodeUtf8, b64uEncode, digestB64u, type HashAlg, type JsonValue, type RandomSource } from '@bonafide/core'
import { SdJwtError } from './errors.js'

/** A decoded Disclosure (RFC 9901 §4.2). `name` is absent for array-element disclosures. */
export interface Disclosure {
  readonly encoded: string
  readonly digest: string
  readonly salt: string
  readonly name?: string
  readonly value: JsonValue
}

export const MAX_DISCLOSURE_LENGTH = 64 * 1024

/** Create a disclosure and its digest over the ASCII of its base64url form (§4.2.3). */
export function createDisclosure(hashAlg: HashAlg, salt: string, name: string | undefined, value: JsonValue): Disclosure {
  if (name === undefined) {
    const encoded = b64uEncode(JSON.stringify([salt, value]))
    return { encoded, digest: digestB64u(hashAlg, encoded), salt, value }
  }
  const encoded = b64uEncode(JSON.stringify([salt, name, value]))
  return { encoded, digest: digestB64u(hashAlg, encoded), salt, name, value }
}

/** Parse an untrusted disclosure strictly: base64url JSON array of 2 or 3 elements, string salt and name. */
export function parseDisclosure(encoded: string, hashAlg: HashAlg): Disclosure {
  if (encoded.length > MAX_DISCLOSURE_LENGTH) throw new SdJwtError('sd_jwt.too_large', 'disclosure too large')
  let arr: unknown
  let text: string
  try {
    text = b64uDecodeUtf8(encoded)
  } catch {
    throw new SdJwtError('sd_jwt.malformed', 'disclosure is not base64url')
  }
  try {
    arr = JSON.parse(text)
  } catch {
    throw new SdJwtError('sd_jwt.disclosure_invalid', 'disclosure is not JSON')
  }
  if (!Array.isArray(arr) || (arr.length !== 2 && arr.length !== 3)) {
    throw new SdJwtError('sd_jwt.disclosure_invalid', 'disclosure must be an array of 2 or 3 elements')
  }
  const salt = arr[0]
  if (typeof salt !== 'string') throw new SdJwtError('sd_jwt.disclosure_invalid', 'disclosure salt must be a string')
  const digest = digestB64u(hashAlg, encoded)
  if (arr.length === 2) return { encoded, digest, salt, value: arr[1] as JsonValue }
  const name = arr[1]
  if (typeof name !== 'string') throw new SdJwtError('sd_jwt.disclosure_invalid', 'disclosure claim name must be a string')
  return { encoded, digest, salt, name, value: arr[2] as JsonValue }
}

/**
 * Salts of 128 bits (RFC 9901 §9.3), drawn from the random source in blocks so that a
 * credential with many disclosures costs one call into the CSPRNG, not one per salt.
 */
export class SaltSource {
  static readonly #shared = new WeakMap<RandomSource, SaltSource>()
  /** One pool per random source, shared across credentials: one CSPRNG call per 256 salts. */
  static for(random: RandomSource): SaltSource {
    let s = SaltSource.#shared.get(random)
    if (!s) SaltSource.#shared.set(random, (s = new SaltSource(random)))
    return s
  }

  readonly #random: RandomSource
  #pool: Uint8Array = new Uint8Array(0)
  #pos = 0

  constructor(random: RandomSource) {
    this.#random = random
  }

  next(): string {
    if (this.#pos + 16 > this.#pool.byteLength) {
      this.#pool = this.#random.bytes(16 * 256)
      this.#pos = 0
    }
    const s = b64uEncode(this.#pool.subarray(this.#pos, this.#pos + 16))
    this.#pos += 16
    return s
  }
}
