import { Hono } from 'hono'
import { register as globalRegistry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createMetrics, type Metrics } from '../src/http/metrics.js'

function appWith(m: Metrics): Hono {
  const app = new Hono()
  app.use('*', m.middleware())
  app.get('/metrics', m.handler())
  app.use('/v1/*', async (c, next) => (c.req.header('authorization') ? next() : c.json({ error: 'no key' }, 401)))
  app.get('/v1/offers/:id', (c) => c.json({ id: c.req.param('id') }))
  app.all('/credential-offer/*', (c) => c.text('offer'))
  app.post('/boom', () => {
    throw new Error('boom')
  })
  return app
}

const auth = { headers: { authorization: 'Bearer k' } }
const line = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix))

describe('metrics', () => {
  it('counts requests by method, route pattern and status, never by raw path', async () => {
    const m = createMetrics()
    const app = appWith(m)
    expect((await app.request('/v1/offers/OFFER-SECRET-1?code=CODE-SECRET', auth)).status).toBe(200)
    expect((await app.request('/v1/offers/OFFER-SECRET-2', auth)).status).toBe(200)
    expect((await app.request('/v1/offers/OFFER-SECRET-3')).status).toBe(401)
    expect((await app.request('/v1/nothing-here', auth)).status).toBe(404)
    expect((await app.request('/nowhere')).status).toBe(404)
    expect((await app.request('/credential-offer/OFFER-SECRET-4', { method: 'POST' })).status).toBe(200)
    expect((await app.request('/boom', { method: 'POST' })).status).toBe(500)

    const res = await app.request('/metrics')
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(text).not.toMatch(/SECRET|nothing-here|nowhere/)
    const req = 'http_requests_total{method='
    expect(line(text, `${req}"GET",route="/v1/offers/:id",status="200"}`)).toMatch(/ 2$/)
    expect(line(text, `${req}"GET",route="/v1/offers/:id",status="401"}`)).toMatch(/ 1$/)
    expect(line(text, `${req}"GET",route="unmatched",status="404"}`)).toMatch(/ 2$/)
    expect(line(text, `${req}"POST",route="/credential-offer/*",status="200"}`)).toMatch(/ 1$/)
    expect(line(text, `${req}"POST",route="/boom",status="500"}`)).toMatch(/ 1$/)
    expect(line(text, 'http_request_duration_seconds_count{method="GET",route="/v1/offers/:id"}')).toMatch(/ 3$/)
    expect(text).toContain('bonafide_process_cpu_user_seconds_total')
    expect(text).toContain('bonafide_nodejs_eventloop_lag_seconds')
  })

  it('counts issuance, verification and webhook failures; batch sizes are bucketed', async () => {
    const m = createMetrics()
    m.countIssued('dc+sd-jwt', 3)
    m.countIssued('dc+sd-jwt', 3)
    m.countIssued('mso_mdoc', 50)
    m.countIssued('jwt_vc_json', 250)
    m.countVerification('verified')
    m.countVerification('rejected')
    m.webhookFailures.inc()
    const text = await m.registry.metrics()
    expect(line(text, 'credentials_issued_total{format="dc+sd-jwt",batch_size="3"}')).toMatch(/ 2$/)
    expect(line(text, 'credentials_issued_total{format="mso_mdoc",batch_size="11-100"}')).toMatch(/ 1$/)
    expect(line(text, 'credentials_issued_total{format="jwt_vc_json",batch_size=">100"}')).toMatch(/ 1$/)
    expect(line(text, 'verifications_total{result="verified"}')).toMatch(/ 1$/)
    expect(line(text, 'verifications_total{result="rejected"}')).toMatch(/ 1$/)
    expect(line(text, 'webhook_failures_total')).toBe('webhook_failures_total 1')
  })

  it('reads the webhook backlog from the callback at each scrape (NaN when it fails)', async () => {
    const m = createMetrics()
    let n = 7
    m.setWebhookBacklog(async () => n)
    expect(line(await m.registry.metrics(), 'webhook_backlog ')).toBe('webhook_backlog 7')
    n = 2
    expect(line(await m.registry.metrics(), 'webhook_backlog ')).toBe('webhook_backlog 2')
    m.setWebhookBacklog(async () => {
      throw new Error('database down')
    })
    // prom-client writes `Nan`; Prometheus parses NaN in any case.
    expect(line(await m.registry.metrics(), 'webhook_backlog ')).toMatch(/^webhook_backlog nan$/i)
  })

  it('keeps its own registry: two instances do not collide, the global one stays empty', async () => {
    const a = createMetrics()
    const b = createMetrics()
    a.countVerification('verified')
    expect(line(await b.registry.metrics(), 'verifications_total{')).toBeUndefined()
    expect(await globalRegistry.getSingleMetric('http_requests_total')).toBeUndefined()
    expect(globalRegistry.getSingleMetric('bonafide_process_cpu_user_seconds_total')).toBeUndefined()
  })
})
