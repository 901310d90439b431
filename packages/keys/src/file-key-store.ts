import { Buffer } from 'node:buffer'
import { createCipheriv, createDecipheriv, createPrivateKey, type KeyObject, scrypt } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  b64uDecode,
  b64uEncode,
  hexEncode,
  isJsonObject,
  parseJson,
  type RandomSource,
  systemRandom,
  utf8Encode,
} from '@bonafide/core'
import { isJwsAlg, type JwsAlg } from './alg.js'
import { KeysError } from './errors.js'
import { exportPublicJwk, parsePublicJwk } from './jwk.js'
import type { KeyInfo, KeyStore } from './key-store.js'
import { createLocalSigner, generateKeyObject, type KeyRef, type Signer } from './signer.js'

/** Write a file so that a crash leaves either the old or the new content, never a torn one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.${hexEncode(systemRandom.bytes(6))}.tmp`
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  const dir = await open(join(path, '..'), 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

function scryptAsync(passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    scrypt(utf8Encode(passphrase), salt, 32, SCRYPT, (e, k) => (e ? reject(e) : resolve(new Uint8Array(k)))),
  )
}

interface StoredKey {
  v: 1
  alg: JwsAlg
  label?: string
  publicJwk: unknown
  /** PKCS#8 DER, base64url; plain or AES-256-GCM under a scrypt-derived key. */
  privateKey:
    | { enc: 'none'; der: string }
    | { enc: 'scrypt-aes256gcm'; salt: string; iv: string; tag: string; der: string }
    | { enc: 'kek-aes256gcm'; iv: string; tag: string; der: string }
}

/** The store's key-encryption key: derived once per store (scrypt over the passphrase and the store's salt). */
interface KekFile {
  v: 1
  kdf: 'scrypt'
  salt: string
  /** A known value sealed under the key, so a wrong passphrase is refused before any key is written or read. */
  check?: { iv: string; tag: string; der: string }
}

const KEK_CHECK = utf8Encode('bonafide key store')

function gcmSeal(k: Uint8Array, iv: Uint8Array, data: Uint8Array): { tag: string; der: string } {
  const c = createCipheriv('aes-256-gcm', k, iv)
  const ct = Buffer.concat([c.update(data), c.final()])
  return { tag: b64uEncode(c.getAuthTag()), der: b64uEncode(ct) }
}

function gcmOpen(k: Uint8Array, iv: string, tag: string, der: string): Uint8Array {
  const d = createDecipheriv('aes-256-gcm', k, b64uDecode(iv))
  d.setAuthTag(b64uDecode(tag))
  return new Uint8Array(Buffer.concat([d.update(b64uDecode(der)), d.final()]))
}

/**
 * Keys in one directory, one file each, written atomically with mode 0600. With a passphrase,
 * private keys are encrypted (scrypt N=2^15 → AES-256-GCM); the public part stays readable.
 */
export class FileKeyStore implements KeyStore {
  readonly name: string
  readonly #dir: string
  readonly #passphrase: string | undefined
  readonly #random: RandomSource
  readonly #signers = new Map<string, Signer>()
  #kek: Promise<Uint8Array> | undefined

  constructor(dir: string, opts?: { name?: string; passphrase?: string; random?: RandomSource }) {
    this.#dir = dir
    this.name = opts?.name ?? 'file'
    this.#passphrase = opts?.passphrase
    this.#random = opts?.random ?? systemRandom
  }

  async generate(spec: { alg: JwsAlg; label?: string }): Promise<KeyRef> {
    return this.add(generateKeyObject(spec.alg), spec.alg, spec.label)
  }

  async add(key: KeyObject, alg: JwsAlg, label?: string): Promise<KeyRef> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const id = hexEncode(this.#random.bytes(16))
    const der = key.export({ format: 'der', type: 'pkcs8' })
    const stored: StoredKey = {
      v: 1,
      alg,
      ...(label ? { label } : {}),
      publicJwk: exportPublicJwk(key),
      privateKey: await this.#seal(new Uint8Array(der)),
    }
    await writeFileAtomic(this.#path(id), JSON.stringify(stored))
    return { store: this.name, id }
  }

  async signer(ref: KeyRef): Promise<Signer> {
    const cached = this.#signers.get(ref.id)
    if (cached && ref.store === this.name) return cached
    const stored = await this.#read(ref)
    if (!stored) throw new KeysError('keys.key_not_found', 'no such key')
    const key = createPrivateKey({ key: Buffer.from(await this.#open(stored)), format: 'der', type: 'pkcs8' })
    const signer = createLocalSigner(key, ref, stored.alg)
    this.#signers.set(ref.id, signer)
    return signer
  }

  async get(ref: KeyRef): Promise<KeyInfo | undefined> {
    const s = await this.#read(ref)
    return s ? this.#info(ref.id, s) : undefined
  }

  async *list(): AsyncIterable<KeyInfo> {
    let names: string[]
    try {
      names = await readdir(this.#dir)
    } catch {
      return
    }
    for (const n of names.sort()) {
      const m = /^([0-9a-f]{32})\.key\.json$/.exec(n)
      if (!m?.[1]) continue
      const s = await this.#read({ store: this.name, id: m[1] })
      if (s) yield this.#info(m[1], s)
    }
  }

  async delete(ref: KeyRef): Promise<void> {
    if (ref.store !== this.name || !/^[0-9a-f]{32}$/.test(ref.id)) return
    this.#signers.delete(ref.id)
    await rm(this.#path(ref.id), { force: true })
  }

  #path(id: string): string {
    return join(this.#dir, `${id}.key.json`)
  }

  #info(id: string, s: StoredKey): KeyInfo {
    return {
      ref: { store: this.name, id },
      alg: s.alg,
      publicJwk: parsePublicJwk(s.publicJwk),
      ...(s.label ? { label: s.label } : {}),
    }
  }

  async #read(ref: KeyRef): Promise<StoredKey | undefined> {
    if (ref.store !== this.name || !/^[0-9a-f]{32}$/.test(ref.id)) return undefined
    let text: string
    try {
      text = await readFile(this.#path(ref.id), 'utf8')
    } catch {
      return undefined
    }
    const v = parseJson(text)
    if (!isJsonObject(v) || v.v !== 1 || !isJwsAlg(v.alg) || !isJsonObject(v.privateKey)) {
      throw new KeysError('keys.store_corrupt', 'key file is corrupt')
    }
    return v as unknown as StoredKey
  }

  /** One scrypt per store (not per key): a wallet holds many one-time keys. The salt lives in `kek.json`. */
  #key(): Promise<Uint8Array> {
    if (!this.#kek) {
      this.#kek = this.#deriveKek()
      this.#kek.catch(() => {
        this.#kek = undefined
      })
    }
    return this.#kek
  }

  async #deriveKek(): Promise<Uint8Array> {
    const path = join(this.#dir, 'kek.json')
    let file: KekFile
    try {
      const v = parseJson(await readFile(path, 'utf8'))
      if (!isJsonObject(v) || v.v !== 1 || v.kdf !== 'scrypt' || typeof v.salt !== 'string')
        throw new KeysError('keys.store_corrupt', 'kek.json is corrupt')
      file = v as unknown as KekFile
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      await mkdir(this.#dir, { recursive: true, mode: 0o700 })
      const salt = this.#random.bytes(16)
      const k = await scryptAsync(this.#passphrase ?? '', salt)
      const iv = this.#random.bytes(12)
      file = { v: 1, kdf: 'scrypt', salt: b64uEncode(salt), check: { iv: b64uEncode(iv), ...gcmSeal(k, iv, KEK_CHECK) } }
      try {
        const fh = await open(path, 'wx', 0o600)
        await fh.writeFile(JSON.stringify(file))
        await fh.sync()
        await fh.close()
        return k
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2
        return this.#deriveKek() // another process created it first
      }
    }
    const k = await scryptAsync(this.#passphrase ?? '', b64uDecode(file.salt))
    if (file.check) {
      try {
        gcmOpen(k, file.check.iv, file.check.tag, file.check.der)
      } catch (cause) {
        throw new KeysError('keys.passphrase_invalid', 'wrong passphrase for this key store', { cause })
      }
    }
    return k
  }

  /** Check the passphrase now (a store created by this call accepts it). */
  async unlock(): Promise<void> {
    if (this.#passphrase !== undefined) await this.#key()
  }

  async #seal(der: Uint8Array): Promise<StoredKey['privateKey']> {
    if (this.#passphrase === undefined) return { enc: 'none', der: b64uEncode(der) }
    const iv = this.#random.bytes(12)
    return { enc: 'kek-aes256gcm', iv: b64uEncode(iv), ...gcmSeal(await this.#key(), iv, der) }
  }

  async #open(s: StoredKey): Promise<Uint8Array> {
    const p = s.privateKey
    if (p.enc === 'none') return b64uDecode(p.der)
    if (this.#passphrase === undefined)
      throw new KeysError('keys.passphrase_invalid', 'key store is encrypted; a passphrase is needed')
    try {
      // keys written before kek.json existed carry their own salt
      const k = p.enc === 'kek-aes256gcm' ? await this.#key() : await scryptAsync(this.#passphrase, b64uDecode(p.salt))
      return gcmOpen(k, p.iv, p.tag, p.der)
    } catch (cause) {
      if (cause instanceof KeysError && cause.code === 'keys.store_corrupt') throw cause
      throw new KeysError('keys.passphrase_invalid', 'wrong passphrase or corrupt key', { cause })
    }
  }
}
