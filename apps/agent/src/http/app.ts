import { Hono } from 'hono'
import type { AgentContext } from '../context.js'
import type { Scope } from '../services/api-keys.js'
import { ANONCREDS_OPERATIONS } from './anoncreds-routes.js'
import { mountOperations, openApiDocument } from './api.js'
import { mountConsole } from './console-routes.js'
import { mountDocs } from './docs-routes.js'
import { EVENT_OPERATIONS } from './event-routes.js'
import { HOLDER_OPERATIONS } from './holder-routes.js'
import { idempotency } from './idempotency.js'
import { requestLog } from './logging.js'
import { PLAYGROUND_OPERATIONS } from './playground-routes.js'
import { notFoundProblem, problem, toProblem } from './problem.js'
import { mountPublic } from './public-routes.js'
import { rateLimit } from './rate-limit.js'
import { V1_OPERATIONS } from './v1-routes.js'
import { VERIFIER_OPERATIONS } from './verifier-routes.js'
import { WEBHOOK_OPERATIONS } from './webhook-routes.js'

/** The agent's HTTP app: `/v1` behind API keys, the public side open. */
export function createApp(ctx: AgentContext): Hono {
  const app = new Hono<{ Variables: { scopes: readonly Scope[] } }>()
  app.onError((e, c) => {
    if (c.req.path.startsWith('/v1') || c.req.path.startsWith('/status') || c.req.path.startsWith('/schemas'))
      return toProblem(e, (msg, data) => ctx.log('error', msg, data))
    ctx.log('error', 'unexpected error', { error: String((e as Error)?.stack ?? e) })
    return new Response('{"error":"server_error"}', { status: 500, headers: { 'content-type': 'application/json' } })
  })
  app.notFound((c) => notFoundProblem(c))
  app.use('*', ctx.metrics.middleware())
  app.use('*', requestLog(ctx.logger))
  // Public protocol endpoints: a token bucket per client IP (429 with Retry-After); BONAFIDE_RATE_LIMIT sets or disables it.
  const rl = ctx.config.rateLimit
  if (rl) {
    const limit = rateLimit({ capacity: rl.burst, refillPerSecond: rl.perSecond, clock: ctx.clock })
    for (const p of ['/par', '/token', '/nonce', '/credential', '/deferred_credential', '/notification', '/openid4vp/*'])
      app.use(p, limit)
  }
  app.get('/metrics', ctx.metrics.handler())

  // Nothing under /v1 answers without a key.
  app.use('/v1/*', async (c, next) => {
    const h = c.req.header('authorization') ?? ''
    const m = /^Bearer ([\x21-\x7e]{1,200})$/.exec(h)
    if (!m) return problem(401, 'agent.unauthorized', 'an API key is required (Authorization: Bearer …)')
    const who = await ctx.apiKeys.authenticate(m[1] as string)
    if (!who) return problem(401, 'agent.unauthorized', 'the API key is unknown or revoked')
    c.set('scopes', who.scopes)
    c.set('apiKeyId', who.id)
    await next()
  })
  app.use('/v1/*', idempotency({ db: ctx.database.db, clock: ctx.clock, kek: ctx.kek, maxBodyBytes: ctx.config.maxBodyBytes }))
  const operations = [
    ...V1_OPERATIONS,
    ...VERIFIER_OPERATIONS,
    ...HOLDER_OPERATIONS,
    ...EVENT_OPERATIONS,
    ...WEBHOOK_OPERATIONS,
    ...PLAYGROUND_OPERATIONS,
    ...ANONCREDS_OPERATIONS,
  ]
  mountOperations(app, ctx, operations)
  const open = app as unknown as Hono
  mountPublic(open, ctx)
  const doc = openApiDocument(operations, { publicUrl: ctx.publicUrl, version: '0.1.0' })
  mountDocs(open, () => doc)
  mountConsole(open)
  ctx.fetcher.setHandler((req) => open.fetch(req))
  return open
}
