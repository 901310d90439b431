/**
 * Property-based fuzz of every /v1 operation (generated from the agent's OpenAPI document) and of the public
 * protocol endpoints (OpenID4VCI token, credential, PAR, nonce, notification, deferred; OpenID4VP request_uri and
 * response): no 5xx, no hang, every error a problem+json (API) or an OAuth-style body (protocol), and no row
 * written by a refused request. Bounded in count so CI stays short.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type AgentContext, createAgentContext } from '../src/context.js'
import { createApp } from '../src/http/app.js'

type Op = { method: string; path: string; body?: { properties?: Record<string, unknown> }; query: string[] }

describe('fuzz: /v1 from the OpenAPI document and the protocol endpoints', () => {
  let ctx: AgentContext
  let app: ReturnType<typeof createApp>
  let dir = ''
  let key = ''
  let ops: Op[] = []
  const base = 'http://agent.test'

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-fuzz-'))
    const config = loadConfig({
      BONAFIDE_DATA: dir,
      BONAFIDE_KEK: '6'.repeat(64),
      BONAFIDE_LOG: 'silent',
      BONAFIDE_RATE_LIMIT: 'off',
    })
    ctx = await createAgentContext(config, base)
    app = createApp(ctx)
    key = ctx.firstAdminKey as string
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: any; parameters?: { name: string; in: string }[] }>>
    }
    // event streams never end by design (they have their own tests); every other operation is fuzzed
    ops = Object.entries(doc.paths)
      .filter(([path]) => !path.endsWith('/events/stream') && !/sessions\/\{id\}\/events$/.test(path))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, o]) => ({
          method: method.toUpperCase(),
          path,
          body: o.requestBody?.content?.['application/json']?.schema,
          query: (o.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        })),
      )
  })
  afterAll(async () => {
    await ctx?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Every row in the database, summed over tables (what a refused request must leave as it was). */
  async function rows(): Promise<number> {
    const t = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(
      ctx.database.db,
    )
    const q = t.rows.map((r) => `(select count(*) from "${r.tablename}")`).join(' + ')
    return Number((await sql.raw<{ n: string }>(`select ${q} as n`).execute(ctx.database.db)).rows[0]?.n)
  }

  const json = fc.jsonValue({ maxDepth: 3 })
  const segment = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('..', '%00', 'pid_sd_jwt', 'a'.repeat(300), '😀', "' or 1=1 --"),
  )
  /** A body shaped like the operation's schema (its property names, random values), or any JSON at all. */
  const bodyFor = (op: Op) => {
    const names = Object.keys(op.body?.properties ?? {})
    const shaped = names.length
      ? fc.dictionary(fc.constantFrom(...names), json, { maxKeys: names.length })
      : fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 })
    return fc.oneof(shaped, json, fc.constant('{"not json'), fc.constant(''))
  }

  it('no /v1 operation answers 5xx or anything but problem+json to a refusal, and a refusal writes no row', async () => {
    const arb = fc.constantFrom(...ops).chain((op) =>
      fc.record({
        op: fc.constant(op),
        params: fc.array(segment, { minLength: 3, maxLength: 3 }),
        body: bodyFor(op),
        query: fc.dictionary(fc.constantFrom(...(op.query.length ? op.query : ['x'])), fc.string({ maxLength: 30 }), {
          maxKeys: 3,
        }),
      }),
    )
    await fc.assert(
      fc.asyncProperty(arb, async ({ op, params, body, query }) => {
        let i = 0
        const path = op.path.replace(/\{\w+\}/g, () => encodeURIComponent(params[i++] ?? 'x'))
        const qs = new URLSearchParams(query).toString()
        const before = await rows()
        const res = await app.request(`${path}${qs ? `?${qs}` : ''}`, {
          method: op.method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          ...(op.method === 'GET' || op.method === 'DELETE'
            ? {}
            : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        })
        const text = await res.text()
        expect(res.status, `${op.method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500)
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe('application/problem+json')
          expect(JSON.parse(text).code).toMatch(/^[a-z0-9_]+\.[a-z0-9_.]+$/)
          expect(await rows(), `${op.method} ${path} wrote a row while refusing`).toBe(before)
        }
      }),
      { numRuns: 400, seed: 20261204 },
    )
  }, 120_000)

  it('the protocol endpoints answer OAuth-style errors to anything, never 5xx, and a refusal writes no row', async () => {
    const endpoints = [
      ['POST', '/token', 'form'],
      ['POST', '/par', 'form'],
      ['POST', '/nonce', 'form'],
      ['POST', '/credential', 'json'],
      ['POST', '/deferred_credential', 'json'],
      ['POST', '/notification', 'json'],
      ['GET', '/openid4vp/x509_hash/direct_post/request/abc', 'none'],
      ['POST', '/openid4vp/x509_hash/direct_post/request/abc', 'form'],
      ['POST', '/openid4vp/x509_hash/direct_post/response', 'form'],
      ['POST', '/openid4vp/x509_hash/direct_post.jwt/response', 'form'],
      ['POST', '/openid4vp/nope/direct_post/response', 'form'],
    ] as const
    const formArb = fc.dictionary(
      fc.constantFrom('grant_type', 'pre-authorized_code', 'tx_code', 'code', 'state', 'vp_token', 'response', 'client_id', 'x'),
      fc.oneof(
        fc.string({ maxLength: 60 }),
        json.map((j) => JSON.stringify(j)),
      ),
      { maxKeys: 4 },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        formArb,
        json,
        fc.option(fc.string({ maxLength: 80 })),
        async ([method, path, kind], f, j, auth) => {
          const before = await rows()
          const res = await app.request(path, {
            method,
            headers: {
              ...(kind === 'form' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
              ...(kind === 'json' ? { 'content-type': 'application/json' } : {}),
              ...(auth ? { authorization: `Bearer ${auth}` } : {}),
            },
            ...(method === 'POST' ? { body: kind === 'json' ? JSON.stringify(j) : new URLSearchParams(f).toString() } : {}),
          })
          const text = await res.text()
          expect(res.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500)
          if (res.status >= 400 && text) expect(typeof JSON.parse(text).error).toBe('string')
          // /nonce answers 200 and stores a nonce: that is its job, not a refusal
          if (res.status >= 400) expect(await rows(), `${method} ${path} wrote a row while refusing`).toBe(before)
        },
      ),
      { numRuns: 300, seed: 20261204 },
    )
  }, 120_000)
})
