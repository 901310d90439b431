import { Buffer } from 'node:buffer'
import { z } from 'zod'

/** A setting that stops the start: one clear line, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface AgentConfig {
  readonly host: string
  readonly port: number
  /** Where wallets and verifiers reach the agent (issuer identifier, list URIs); default http://HOST:PORT. */
  readonly publicUrl: string | undefined
  /** PGlite data folder (also holds the key-encryption key file when none is given). */
  readonly dataDir: string
  /** postgres://… to use a PostgreSQL server instead of the embedded database. */
  readonly databaseUrl: string | undefined
  /** An admin API key to accept (at least 32 characters), besides the ones in the database. */
  readonly adminKey: string | undefined
  /** 32 bytes, base64url or hex; when absent a 0600 file in the data folder is created and used. */
  readonly kek: Uint8Array | undefined
  readonly maxBodyBytes: number
  readonly logLevel: 'silent' | 'error' | 'info' | 'debug'
  /** Outbound fetches (other issuers, verifiers, status lists) may reach http:// and loopback: development only. */
  readonly insecureFetch: boolean
  /** The console's batch playground (POST /v1/playground/runs): on unless BONAFIDE_PLAYGROUND=false. */
  readonly playground: boolean
  /** Per client IP on the public protocol endpoints: a burst and a refill per second; undefined = off. */
  readonly rateLimit: { readonly burst: number; readonly perSecond: number } | undefined
  /**
   * How a key-attested proof is signed (OpenID4VCI Appendix D.1 / F.1): `openid4vci`, by any attested key;
   * `ts3` (EUDI TS3), by attested_keys[0] without kid.
   */
  readonly keyAttestationProfile: 'openid4vci' | 'ts3'
}

const zPort = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a number')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be 0..65535')
const zUrl = z
  .url({ protocol: /^https?$/ })
  .max(512)
  .refine((u) => !new URL(u).search && !new URL(u).hash, 'must have no query or fragment')
  .transform((u) => u.replace(/\/$/, ''))
const zKek = z.string().transform((s, ctx) => {
  const bytes = /^[0-9a-f]{64}$/i.test(s)
    ? Buffer.from(s, 'hex')
    : /^[A-Za-z0-9_-]{43}$/.test(s)
      ? Buffer.from(s, 'base64url')
      : undefined
  if (bytes?.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex digits or 43 base64url characters' })
    return z.NEVER
  }
  return new Uint8Array(bytes)
})

const zSettings = z.strictObject({
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or address')
    .default('127.0.0.1'),
  PORT: zPort.default(3000),
  BONAFIDE_PUBLIC_URL: zUrl.optional(),
  BONAFIDE_DATA: z.string().min(1).max(4096).default('.bonafide'),
  DATABASE_URL: z
    .string()
    .max(4096)
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  BONAFIDE_ADMIN_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII')
    .optional(),
  BONAFIDE_KEK: zKek.optional(),
  BONAFIDE_MAX_BODY_BYTES: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a number')
    .transform(Number)
    .refine((n) => n >= 1024 && n <= 16 * 1024 * 1024, 'must be 1024..16777216')
    .default(1024 * 1024),
  BONAFIDE_LOG: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  BONAFIDE_INSECURE_FETCH: z.enum(['true', 'false']).default('false'),
  BONAFIDE_PLAYGROUND: z.enum(['true', 'false']).default('true'),
  BONAFIDE_RATE_LIMIT: z
    .string()
    .regex(/^(off|\d{1,6}\/\d{1,6})$/, 'must be off or BURST/PER_SECOND (e.g. 120/20)')
    .refine((v) => v === 'off' || !v.split('/').some((n) => Number(n) === 0), 'must be positive')
    .default('120/20'),
  BONAFIDE_KEY_ATTESTATION_PROFILE: z.enum(['openid4vci', 'ts3']).default('openid4vci'),
})

/** The settings the agent reads (environment names; flags map onto them). */
export const SETTING_NAMES = Object.keys(zSettings.shape) as readonly string[]

/**
 * Read and validate every setting once, at start. Only known names are taken from `env`; a bad value
 * throws a ConfigError naming the setting (never echoing secrets).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AgentConfig {
  const picked: Record<string, string> = {}
  for (const k of SETTING_NAMES) {
    const v = env[k]
    if (v !== undefined && v !== '') picked[k] = v
  }
  const r = zSettings.safeParse(picked)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new ConfigError(`setting ${String(i?.path[0] ?? '?')} ${i?.message ?? 'is invalid'}`)
  }
  const s = r.data
  return {
    host: s.HOST,
    port: s.PORT,
    publicUrl: s.BONAFIDE_PUBLIC_URL,
    dataDir: s.BONAFIDE_DATA,
    databaseUrl: s.DATABASE_URL,
    adminKey: s.BONAFIDE_ADMIN_KEY,
    kek: s.BONAFIDE_KEK,
    maxBodyBytes: s.BONAFIDE_MAX_BODY_BYTES,
    logLevel: s.BONAFIDE_LOG,
    insecureFetch: s.BONAFIDE_INSECURE_FETCH === 'true',
    playground: s.BONAFIDE_PLAYGROUND === 'true',
    rateLimit:
      s.BONAFIDE_RATE_LIMIT === 'off'
        ? undefined
        : { burst: Number(s.BONAFIDE_RATE_LIMIT.split('/')[0]), perSecond: Number(s.BONAFIDE_RATE_LIMIT.split('/')[1]) },
    keyAttestationProfile: s.BONAFIDE_KEY_ATTESTATION_PROFILE,
  }
}
