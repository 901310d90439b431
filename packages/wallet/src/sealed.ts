import { Buffer } from 'node:buffer'
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { b64uDecode, b64uEncode, isJsonObject } from '@bonafide/core'
import { WalletError } from './errors.js'

/** The wallet state encrypted at rest: scrypt (N=2^15) over the passphrase and a per-wallet salt, AES-256-GCM. */
export interface SealedState {
  v: 1
  enc: 'scrypt-aes256gcm'
  salt: string
  iv: string
  tag: string
  data: string
}

export function isSealed(v: unknown): v is SealedState {
  return isJsonObject(v) && v.enc !== undefined
}

function derive(passphrase: string, salt: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  )
}

/** Seals and opens the wallet state with one key per wallet (derived once, kept for this object's life). */
export class StateSealer {
  readonly #passphrase: string
  #cache: { salt: string; key: Promise<Buffer> } | undefined

  constructor(passphrase: string) {
    this.#passphrase = passphrase
  }

  #key(salt: string): Promise<Buffer> {
    if (this.#cache?.salt !== salt) this.#cache = { salt, key: derive(this.#passphrase, b64uDecode(salt)) }
    return this.#cache.key
  }

  async open(v: unknown): Promise<string> {
    if (!isJsonObject(v) || v.v !== 1 || v.enc !== 'scrypt-aes256gcm')
      throw new WalletError('wallet.store_corrupt', 'wallet.json is sealed in an unknown way')
    const s = v as unknown as SealedState
    try {
      const d = createDecipheriv('aes-256-gcm', await this.#key(s.salt), b64uDecode(s.iv))
      d.setAuthTag(b64uDecode(s.tag))
      return Buffer.concat([d.update(b64uDecode(s.data)), d.final()]).toString('utf8')
    } catch (cause) {
      throw new WalletError('wallet.passphrase_invalid', 'wrong passphrase, or wallet.json was altered', { cause })
    }
  }

  /** Seal under the wallet's salt (a new one for a wallet never sealed). */
  async seal(plaintext: string, salt?: string): Promise<SealedState> {
    const s = salt ?? b64uEncode(randomBytes(16))
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', await this.#key(s), iv)
    const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()])
    return { v: 1, enc: 'scrypt-aes256gcm', salt: s, iv: b64uEncode(iv), tag: b64uEncode(c.getAuthTag()), data: b64uEncode(data) }
  }
}
