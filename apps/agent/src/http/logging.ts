import { randomBytes } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { type DestinationStream, type Logger, pino } from 'pino'
import type { AgentConfig } from '../config/env.js'
import { routeLabel } from './metrics.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `requestLog`: the request id, also sent back as `x-request-id`. */
    requestId: string
  }
}

export type LogLevel = AgentConfig['logLevel']
export type { Logger }

const REDACTED = '[redacted]'

/** Never logged, at any depth: credentials, codes, claim values, request parts that carry them. */
const SENSITIVE = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'headers',
  'body',
  'query',
  'querystring',
  'search',
  'url',
  'claims',
  'credential',
  'credentials',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'vp_token',
  'code',
  'tx_code',
  'pre-authorized_code',
  'issuer_state',
  'key',
  'kek',
  'secret',
  'secret_enc',
  'password',
  'private_enc',
  'd',
  'proof',
  'proofs',
  'jwt',
  'presentation',
  'disclosures',
  'nonce',
  'c_nonce',
]
const SENSITIVE_SET = new Set(SENSITIVE)
/** …and any name that ends like one (`api_key`, `user-code`, `accessToken`, `adminKey`). */
const SENSITIVE_SUFFIX = /(^|[_-])(token|secret|password|code|key|claims|pin)$|[a-z](Token|Secret|Password|Key|Claims)$/i

const prop = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`)
/** fast-redact paths (top level and one down); `scrub` covers deeper levels and any case. */
export const REDACT_PATHS = SENSITIVE.flatMap((k) => [prop(k), `*${prop(k).startsWith('[') ? '' : '.'}${prop(k)}`])

export const isSensitiveKey = (k: string) => SENSITIVE_SET.has(k.toLowerCase()) || SENSITIVE_SUFFIX.test(k)

/** Strip what can hide in free text: URL paths (origin kept), query strings, API keys, bearer tokens, JWTs / SD-JWTs. */
export function scrubString(s: string): string {
  return s
    .replace(/\b(https?:\/\/[^\s/?#"'<>]+)([^\s"'<>]*)/gi, (_, origin: string, rest: string) =>
      rest.length > 1 ? `${origin}/${REDACTED}` : origin + rest,
    )
    .replace(/(\S)\?[^\s"'<>]+/g, `$1?${REDACTED}`)
    .replace(/bfk_[A-Za-z0-9_-]+/g, `bfk_${REDACTED}`)
    .replace(/\b(Bearer|DPoP|Basic)\s+\S+/gi, `$1 ${REDACTED}`)
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*(~[\w.~-]*)?/g, REDACTED)
}

/** A copy of a log object with the policy applied (depth-limited; errors keep type, message and stack). */
export function scrub(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrubString(v)
  if (v === null || typeof v !== 'object') return v
  if (depth > 8) return '[deep]'
  if (v instanceof Error) return scrubError(v)
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = isSensitiveKey(k) ? REDACTED : scrub(x, depth + 1)
  return out
}

/** Same prototype (so the type survives), scrubbed message and stack, no other fields (`details` may hold claims). */
function scrubError(e: Error): Error {
  const out = Object.create(Object.getPrototypeOf(e)) as Error
  out.message = scrubString(e.message)
  out.stack = scrubString(e.stack ?? '')
  return out
}

/** The agent's logger: JSON lines on stderr (or `destination`), redaction and the scrub policy built in. */
export function createLogger(o: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: o.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      serializers: { msg: (m: unknown) => (typeof m === 'string' ? scrubString(m) : m) },
    },
    o.destination ?? pino.destination({ dest: 2, sync: true }),
  )
}

/** `AgentContext['log']` over a pino logger. */
export function agentLog(logger: Logger) {
  return (level: 'error' | 'info' | 'debug', msg: string, data?: Record<string, unknown>): void => logger[level](data ?? {}, msg)
}

const REQUEST_ID = /^[A-Za-z0-9_.-]{1,64}$/

/** One info line per request (method, route pattern, status, ms, request id); never the URL, headers or body. */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header('x-request-id')
    const id = given && REQUEST_ID.test(given) ? given : randomBytes(12).toString('base64url')
    c.set('requestId', id)
    const start = performance.now()
    try {
      await next()
    } finally {
      c.header('x-request-id', id)
      const ms = Math.round((performance.now() - start) * 10) / 10
      logger.info({ reqId: id, method: c.req.method, route: routeLabel(c), status: c.res.status, ms }, 'request')
    }
  }
}
