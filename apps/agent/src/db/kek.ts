import { Buffer } from 'node:buffer'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../config/env.js'

/** AES-256-GCM under the key-encryption key. Output: base64url(iv 12 || ciphertext || tag 16). */
export interface Kek {
  seal(plain: Uint8Array, aad: string): string
  open(sealed: string, aad: string): Uint8Array
}

export function createKek(key: Uint8Array): Kek {
  if (key.length !== 32) throw new ConfigError('the key-encryption key must be 32 bytes')
  const k = Buffer.from(key)
  return {
    seal(plain, aad) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', k, iv).setAAD(Buffer.from(aad))
      const body = Buffer.concat([c.update(plain), c.final()])
      return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url')
    },
    open(sealed, aad) {
      const b = Buffer.from(sealed, 'base64url')
      if (b.length < 29) throw new Error('sealed key is truncated')
      const d = createDecipheriv('aes-256-gcm', k, b.subarray(0, 12)).setAAD(Buffer.from(aad))
      d.setAuthTag(b.subarray(b.length - 16))
      return new Uint8Array(Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]))
    },
  }
}

/**
 * The key-encryption key from the setting, else from `DATA/kek.key` (created 0600 on first run,
 * refused when others may read it).
 */
export function loadKek(given: Uint8Array | undefined, dataDir: string): Kek {
  if (given) return createKek(given)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, 'kek.key')
  try {
    const st = statSync(file)
    if ((st.mode & 0o077) !== 0) throw new ConfigError(`${file} must not be readable by others (chmod 600)`)
    const text = readFileSync(file, 'utf8').trim()
    if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw new ConfigError(`${file} does not hold a 32-byte base64url key`)
    return createKek(Buffer.from(text, 'base64url'))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  const key = randomBytes(32)
  const fd = openSync(file, 'wx', 0o600)
  try {
    writeSync(fd, `${key.toString('base64url')}\n`)
  } finally {
    closeSync(fd)
  }
  return createKek(key)
}
