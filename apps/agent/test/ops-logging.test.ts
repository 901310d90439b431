import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { agentLog, createLogger, type LogLevel, REDACT_PATHS, requestLog, scrubString } from '../src/http/logging.js'

/** A logger writing into an array (one parsed object per line). */
function capture(level: LogLevel = 'debug') {
  const raw: string[] = []
  const logger = createLogger({ level, destination: { write: (s: string) => void raw.push(s) } })
  return { logger, raw, lines: () => raw.map((s) => JSON.parse(s) as Record<string, unknown>) }
}

const SECRETS = ['OFFER-SECRET-ID', 'CODE-SECRET-1', 'CODE-SECRET-2', 'bfk_KEYSECRET', 'Erika-CLAIM', 'JWT-SECRET-PART']
const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJKV1QtU0VDUkVULVBBUlQifQ.sig~WyJzYWx0IiwibmFtZSIsIkVyaWthIl0~'

describe('logging', () => {
  it('logs one line per request with the route pattern, and no path, query, header or body secret', async () => {
    const { logger, raw, lines } = capture()
    const app = new Hono()
    app.use('*', requestLog(logger))
    app.post('/v1/offers/:id', async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>
      // A careless handler: everything it logs still goes through the policy.
      logger.info(
        {
          body,
          claims: body.claims,
          headers: { Authorization: c.req.header('authorization') },
          nested: { deeper: { access_token: 'CODE-SECRET-1', note: `see ${c.req.url}` } },
          offer: { 'pre-authorized_code': 'CODE-SECRET-2', tx_code: '1234' },
          presented: JWT,
        },
        `handled ${c.req.url}`,
      )
      return c.json({ ok: true, requestId: c.get('requestId') })
    })
    const res = await app.request('/v1/offers/OFFER-SECRET-ID?pre-authorized_code=CODE-SECRET-1&code=CODE-SECRET-2', {
      method: 'POST',
      headers: { authorization: 'Bearer bfk_KEYSECRET', 'content-type': 'application/json' },
      body: JSON.stringify({ claims: { given_name: 'Erika-CLAIM' }, token: JWT }),
    })
    expect(res.status).toBe(200)
    const all = raw.join('')
    for (const s of SECRETS) expect(all).not.toContain(s)
    const [handled, request] = lines()
    expect(handled?.msg).toBe('handled http://localhost/[redacted]')
    expect(request).toMatchObject({ level: 'info', msg: 'request', method: 'POST', route: '/v1/offers/:id', status: 200 })
    expect(typeof request?.ms).toBe('number')
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(request?.reqId).toBe(id)
    expect(((await res.json()) as { requestId: string }).requestId).toBe(id)
  })

  it('keeps a well-formed x-request-id and replaces anything else', async () => {
    const { logger, lines } = capture('info')
    const app = new Hono()
    app.use('*', requestLog(logger))
    app.get('/x', (c) => c.text(c.get('requestId')))
    const ok = await app.request('/x', { headers: { 'x-request-id': 'trace-1.abc_DEF' } })
    expect(ok.headers.get('x-request-id')).toBe('trace-1.abc_DEF')
    expect(await ok.text()).toBe('trace-1.abc_DEF')
    for (const bad of ['has space', 'a'.repeat(65), 'semi;colon', '']) {
      const r = await app.request('/x', { headers: { 'x-request-id': bad } })
      expect(r.headers.get('x-request-id')).not.toBe(bad)
      expect(r.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16}$/)
    }
    const nf = await app.request('/missing/CODE-SECRET-1')
    expect(nf.status).toBe(404)
    expect(nf.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(lines().at(-1)).toMatchObject({ route: 'unmatched', status: 404 })
    expect(lines()).toHaveLength(6)
  })

  it('honours the level: silent logs nothing, error skips request lines', async () => {
    for (const [level, n] of [
      ['silent', 0],
      ['error', 1],
    ] as const) {
      const { logger, raw } = capture(level)
      const app = new Hono()
      app.use('*', requestLog(logger))
      app.get('/x', (c) => c.text('x'))
      await app.request('/x')
      logger.error('failed')
      expect(raw).toHaveLength(n)
    }
  })

  it('redacts errors, messages and the agent log adapter', () => {
    const { logger, raw, lines } = capture()
    const e = Object.assign(new TypeError('fetch https://w.example/cb?code=CODE-SECRET-1 failed'), {
      details: { claims: { given_name: 'Erika-CLAIM' } },
    })
    logger.error({ err: e, cause: { error: e } }, 'outbound failed')
    logger.info('calling with Bearer bfk_KEYSECRET and DPoP JWT-SECRET-PART')
    agentLog(logger)('info', 'stored', { apiKey: 'bfk_KEYSECRET', user_pin: '1234', Cookie: 'sid=CODE-SECRET-2', id: 'k1' })
    agentLog(logger)('debug', 'no data')
    const all = raw.join('')
    for (const s of SECRETS) expect(all).not.toContain(s)
    const [err, , stored, plain] = lines()
    expect(err?.err).toMatchObject({ type: 'TypeError', message: 'fetch https://w.example/[redacted] failed' })
    expect(err?.cause).toMatchObject({ error: { message: 'fetch https://w.example/[redacted] failed' } })
    expect(stored).toMatchObject({ apiKey: '[redacted]', user_pin: '[redacted]', Cookie: '[redacted]', id: 'k1' })
    expect(plain).toMatchObject({ level: 'debug', msg: 'no data' })
  })

  it('scrubs free text and builds valid redact paths', () => {
    expect(scrubString('GET /token?code=abc&x=1 then /next')).toBe('GET /token?[redacted] then /next')
    expect(scrubString('is it? yes')).toBe('is it? yes')
    expect(scrubString('at https://issuer.example/ and https://issuer.example')).toBe(
      'at https://issuer.example/ and https://issuer.example',
    )
    expect(scrubString('GET https://a.example:8443/offers/ID?x=1.')).toBe('GET https://a.example:8443/[redacted]')
    expect(scrubString(`openid-credential-offer://?credential_offer=${encodeURIComponent('{"a":1}')}`)).toBe(
      'openid-credential-offer://?[redacted]',
    )
    expect(scrubString(`token ${JWT} end`)).toBe('token [redacted] end')
    expect(scrubString('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [redacted]')
    expect(REDACT_PATHS).toContain('*["pre-authorized_code"]')
  })
})
