import { isVcError } from '@bonafide/core'
import type { Context } from 'hono'
import { ApiProblem } from '../services/problem.js'
import { trustHintFor } from '../services/trust.js'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** RFC 9457 problem details with the agent's stable `code`. */
export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: readonly { path: string; message: string }[],
  hint?: string,
): Response {
  const body = {
    type: `https://bonafide.dev/problems/${code.replace(/^agent\./, '').replace(/\./g, '/')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
    ...(hint ? { hint } : {}),
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    },
  })
}

/** Map anything thrown in an API route to a problem: typed errors keep their code, the rest is a generic 500. */
export function toProblem(e: unknown, log: (msg: string, data: Record<string, unknown>) => void): Response {
  if (e instanceof ApiProblem) return problem(e.status, e.code, e.message, e.errors, e.hint)
  if (isVcError(e)) {
    const reasons = (e.details as { errors?: unknown; reasons?: unknown } | undefined)?.errors
    const errors = Array.isArray(reasons)
      ? reasons
          .filter((r): r is { path: string; message: string } => typeof r?.path === 'string')
          .map((r) => ({ path: r.path, message: String(r.message) }))
      : undefined
    return problem(e.code.endsWith('_exists') ? 409 : 400, e.code, e.message, errors, trustHintFor(e.code))
  }
  log('unexpected error', { error: String((e as Error)?.stack ?? e) })
  return problem(500, 'agent.internal', 'internal error (see the agent log)')
}

export function notFoundProblem(c: Context): Response {
  return problem(404, 'agent.route_not_found', `no route for ${c.req.method} on this path`)
}
