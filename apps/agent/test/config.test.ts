import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config/env.js'

describe('agent settings are validated once, at start', () => {
  it('defaults: 127.0.0.1:3000, data in .bonafide, embedded database', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: '.bonafide',
      databaseUrl: undefined,
      maxBodyBytes: 1 << 20,
      keyAttestationProfile: 'openid4vci',
    })
  })
  it('reads known names only, and empty values count as unset', () => {
    const c = loadConfig({ PORT: '8080', HOST: '', UNRELATED: 'x', BONAFIDE_PUBLIC_URL: 'https://issuer.example/' })
    expect(c.port).toBe(8080)
    expect(c.host).toBe('127.0.0.1')
    expect(c.publicUrl).toBe('https://issuer.example')
  })
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BONAFIDE_PUBLIC_URL: 'ftp://x' }, 'BONAFIDE_PUBLIC_URL'],
    [{ BONAFIDE_PUBLIC_URL: 'https://x/?q=1' }, 'BONAFIDE_PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ BONAFIDE_ADMIN_KEY: 'short' }, 'BONAFIDE_ADMIN_KEY'],
    [{ BONAFIDE_KEK: 'zz' }, 'BONAFIDE_KEK'],
    [{ BONAFIDE_MAX_BODY_BYTES: '10' }, 'BONAFIDE_MAX_BODY_BYTES'],
    [{ BONAFIDE_LOG: 'loud' }, 'BONAFIDE_LOG'],
    [{ HOST: 'a b' }, 'HOST'],
    [{ BONAFIDE_KEY_ATTESTATION_PROFILE: 'eudi' }, 'BONAFIDE_KEY_ATTESTATION_PROFILE'],
  ])('a bad setting %j is a ConfigError naming %s, without echoing the value', (env, name) => {
    let err: unknown
    try {
      loadConfig(env)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toContain(name)
    for (const v of Object.values(env)) if (v.length > 3) expect((err as Error).message).not.toContain(v)
  })
  it('the key-encryption key: 64 hex digits or 43 base64url characters, 32 bytes', () => {
    expect(loadConfig({ BONAFIDE_KEK: 'ab'.repeat(32) }).kek).toHaveLength(32)
    expect(loadConfig({ BONAFIDE_KEK: 'A'.repeat(43) }).kek).toHaveLength(32)
  })
})
