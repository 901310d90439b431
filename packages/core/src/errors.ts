/**
 * One base error for the whole toolkit. `code` is the stable API (namespaced
 * `package.snake_case`), set where thrown and never derived from the message.
 * Messages are for humans and never echo untrusted input.
 */
export class VcError<C extends string = string> extends Error {
  override name = 'VcError'
  readonly code: C
  readonly details?: Readonly<Record<string, unknown>>

  constructor(code: C, message: string, opts?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, opts?.cause === undefined ? undefined : { cause: opts.cause })
    this.code = code
    if (opts?.details) this.details = opts.details
  }
}

/** Error codes thrown by `@bonafide/core`. Pinned by a test. */
export const CORE_ERROR_CODES = [
  'core.base64url_invalid',
  'core.json_invalid',
  'core.json_too_large',
  'core.input_invalid',
  'core.hash_unsupported',
  'core.fetch_forbidden_url',
  'core.fetch_forbidden_address',
  'core.fetch_too_large',
  'core.fetch_timeout',
  'core.fetch_failed',
  'core.fetch_status',
] as const
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number]

export class CoreError extends VcError<CoreErrorCode> {
  override name = 'CoreError'
}

/**
 * A protocol error as OAuth 2.0 (RFC 6749 §5.2) and the OpenID4VC specs put it on the wire.
 * Kept apart from VcError: its `error` is dictated by a spec, not by us.
 */
export class OAuthError extends Error {
  override name = 'OAuthError'
  readonly error: string
  readonly error_description: string | undefined
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly extra: Readonly<Record<string, unknown>>

  constructor(
    error: string,
    description?: string,
    opts?: { status?: number; headers?: Record<string, string>; extra?: Record<string, unknown>; cause?: unknown },
  ) {
    super(description ?? error, opts?.cause === undefined ? undefined : { cause: opts.cause })
    this.error = error
    this.error_description = description
    this.status = opts?.status ?? 400
    this.headers = opts?.headers ?? {}
    this.extra = opts?.extra ?? {}
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.error,
      ...(this.error_description ? { error_description: this.error_description } : {}),
      ...this.extra,
    }
  }
}

/** True for any VcError, optionally of one code. */
export function isVcError(e: unknown, code?: string): e is VcError {
  return e instanceof VcError && (code === undefined || e.code === code)
}
