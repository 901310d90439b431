import type { KeyObject } from 'node:crypto'
import { hexEncode, type RandomSource, systemRandom } from '@bonafide/core'
import type { JwsAlg } from './alg.js'
import { KeysError } from './errors.js'
import { exportPublicJwk } from './jwk.js'
import type { KeyInfo, KeyStore } from './key-store.js'
import { createLocalSigner, generateKeyObject, type KeyRef, type Signer } from './signer.js'

interface Entry {
  info: KeyInfo
  signer: Signer
}

/** Keys held in process memory. Signers are created once per key and reused. */
export class MemoryKeyStore implements KeyStore {
  readonly name: string
  readonly #keys = new Map<string, Entry>()
  readonly #random: RandomSource

  constructor(opts?: { name?: string; random?: RandomSource }) {
    this.name = opts?.name ?? 'memory'
    this.#random = opts?.random ?? systemRandom
  }

  async generate(spec: { alg: JwsAlg; label?: string }): Promise<KeyRef> {
    return this.add(generateKeyObject(spec.alg), spec.alg, spec.label)
  }

  /** Add an existing private key (import). */
  add(key: KeyObject, alg: JwsAlg, label?: string): KeyRef {
    const ref: KeyRef = { store: this.name, id: hexEncode(this.#random.bytes(16)) }
    const signer = createLocalSigner(key, ref, alg)
    const info: KeyInfo = { ref, alg, publicJwk: exportPublicJwk(key), ...(label ? { label } : {}) }
    this.#keys.set(ref.id, { info, signer })
    return ref
  }

  async signer(ref: KeyRef): Promise<Signer> {
    return this.#entry(ref).signer
  }

  async get(ref: KeyRef): Promise<KeyInfo | undefined> {
    return ref.store === this.name ? this.#keys.get(ref.id)?.info : undefined
  }

  async *list(): AsyncIterable<KeyInfo> {
    for (const e of this.#keys.values()) yield e.info
  }

  async delete(ref: KeyRef): Promise<void> {
    if (ref.store === this.name) this.#keys.delete(ref.id)
  }

  #entry(ref: KeyRef): Entry {
    const e = ref.store === this.name ? this.#keys.get(ref.id) : undefined
    if (!e) throw new KeysError('keys.key_not_found', 'no such key')
    return e
  }
}
