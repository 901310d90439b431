import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * The route pattern that served a request (`/v1/offers/:id`), never the raw path; `unmatched` when no
 * route but middleware matched. An endpoint is a route with a method, or an `all` route whose handler
 * takes no `next` (middleware from `use` is method ALL with `(c, next)`).
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]
    if (r && (r.method !== 'ALL' || r.handler.length < 2)) return r.path
  }
  return 'unmatched'
}

export interface Metrics {
  readonly registry: Registry
  readonly httpRequests: Counter<'method' | 'route' | 'status'>
  readonly httpDuration: Histogram<'method' | 'route'>
  readonly credentialsIssued: Counter<'format' | 'batch_size'>
  readonly verifications: Counter<'result'>
  readonly webhookFailures: Counter
  /** Count one issuance: `batchSize` credentials of `format` in one response. */
  countIssued(format: string, batchSize: number): void
  /** Count one verification outcome (e.g. `verified`, `rejected`, `error`). */
  countVerification(result: string): void
  /** Where `webhook_backlog` is read from at each scrape. */
  setWebhookBacklog(fn: () => Promise<number>): void
  middleware(): MiddlewareHandler
  handler(): (c: Context) => Promise<Response>
}

/** Prometheus metrics on a registry of their own (never prom-client's global one). */
export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'bonafide_' })
  const registers = [registry]
  let backlog: (() => Promise<number>) | undefined
  const m: Metrics = {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern',
      labelNames: ['method', 'route'],
      registers,
    }),
    credentialsIssued: new Counter({
      name: 'credentials_issued_total',
      help: 'Credential issuance responses by format and batch size',
      labelNames: ['format', 'batch_size'],
      registers,
    }),
    verifications: new Counter({
      name: 'verifications_total',
      help: 'Presentation verifications by result',
      labelNames: ['result'],
      registers,
    }),
    webhookFailures: new Counter({ name: 'webhook_failures_total', help: 'Failed webhook delivery attempts', registers }),
    countIssued: (format, n) => m.credentialsIssued.inc({ format, batch_size: batchLabel(n) }),
    countVerification: (result) => m.verifications.inc({ result }),
    setWebhookBacklog: (fn) => {
      backlog = fn
    },
    middleware: () => async (c, next) => {
      const end = m.httpDuration.startTimer()
      try {
        await next()
      } finally {
        const labels = { method: c.req.method, route: routeLabel(c) }
        end(labels)
        m.httpRequests.inc({ ...labels, status: String(c.res.status) })
      }
    },
    handler: () => async () =>
      new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }),
  }
  new Gauge({
    name: 'webhook_backlog',
    help: 'Webhook deliveries waiting to be sent (NaN when it could not be read)',
    registers,
    async collect() {
      if (!backlog) return
      this.set(await backlog().catch(() => Number.NaN))
    },
  })
  return m
}

/** Batch sizes are 1..1000: exact up to 10, then coarse, so the label set stays small. */
function batchLabel(n: number): string {
  if (!Number.isInteger(n) || n < 1) return 'invalid'
  if (n <= 10) return String(n)
  return n <= 100 ? '11-100' : '>100'
}
