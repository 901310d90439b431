import { Buffer } from 'node:buffer'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClock } from '@bonafide/core'
import type { Hono } from 'hono'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type AgentContext, createAgentContext } from '../src/context.js'
import { createApp } from '../src/http/app.js'
import { DATABASES } from './databases.js'

const KEK = '0123456789abcdef'.repeat(4)
const MAX_BODY = 4096
const PUBLIC_URL = 'http://127.0.0.1:9'
const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
const TABLES = [
  'api_keys',
  'signing_keys',
  'issuer_state',
  'credential_configurations',
  'issuance_sessions',
  'issued_credentials',
  'status_lists',
  'schemas',
  'events',
  'settings',
] as const
type Counts = Record<(typeof TABLES)[number], number>

const PID_CLAIMS = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26', nationalities: ['DE'] }
const SCHEMA_V1 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, level: { type: 'string' } },
}
const SCHEMA_BREAKING = { ...SCHEMA_V1, required: ['name', 'level'] }

interface Call {
  method?: string
  /** API key (the admin key by default; null: no Authorization header). */
  key?: string | null
  authorization?: string
  json?: unknown
  body?: string
  contentType?: string
  headers?: Record<string, string>
}

/** The pre-authorized code inside an `openid-credential-offer://?credential_offer=…` link. */
function preAuthorizedCodeOf(offer: string): string {
  const params = new URLSearchParams(offer.slice(offer.indexOf('?') + 1))
  const o = JSON.parse(params.get('credential_offer') ?? 'null')
  return o.grants[PRE_AUTH_GRANT]['pre-authorized_code']
}

for (const db of DATABASES) {
  describe(`agent HTTP API, in process (${db.name})`, () => {
    const clock = new FakeClock(Date.now())
    let ctx: AgentContext
    let app: Hono
    let admin: string
    let dir: string | undefined

    beforeAll(async () => {
      const d = await db.open()
      dir = await mkdtemp(join(tmpdir(), 'bonafide-api-'))
      const config = loadConfig({
        BONAFIDE_DATA: dir,
        BONAFIDE_KEK: KEK,
        BONAFIDE_LOG: 'silent',
        BONAFIDE_MAX_BODY_BYTES: String(MAX_BODY),
        ...(d.url ? { DATABASE_URL: d.url } : {}),
      })
      ctx = await createAgentContext(config, PUBLIC_URL, { clock })
      app = createApp(ctx)
      admin = ctx.firstAdminKey as string
      expect(admin).toMatch(/^bfk_/)
    })

    afterAll(async () => {
      await ctx?.close()
      if (dir) await rm(dir, { recursive: true, force: true })
    })

    const call = (path: string, c: Call = {}): Promise<Response> => {
      const headers: Record<string, string> = { ...c.headers }
      const key = c.key === undefined ? admin : c.key
      if (c.authorization !== undefined) headers.authorization = c.authorization
      else if (key !== null) headers.authorization = `Bearer ${key}`
      let body: string | undefined = c.body
      if (c.json !== undefined) {
        body = JSON.stringify(c.json)
        headers['content-type'] ??= 'application/json'
      }
      if (c.contentType) headers['content-type'] = c.contentType
      return Promise.resolve(
        app.request(path, { method: c.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body ? { body } : {}) }),
      )
    }
    const post = (path: string, json: unknown, key?: string | null) => call(path, { method: 'POST', json, key })
    const get = (path: string, key?: string | null) => call(path, { key })

    /** Rows in every table: what "nothing was written" is checked against. */
    async function counts(): Promise<Counts> {
      const out = {} as Counts
      for (const t of TABLES) {
        const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(ctx.database.db)
        out[t] = Number(r.rows[0]?.n)
      }
      return out
    }

    /** RFC 9457 §3: a problem details object, with the agent's stable `code`. */
    async function expectProblem(res: Response, status: number, code: string): Promise<any> {
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      const b = (await res.json()) as any
      expect(b).toMatchObject({ status, code })
      expect(typeof b.type).toBe('string')
      expect(typeof b.title).toBe('string')
      return b
    }

    async function expectOAuthError(res: Response, error: string): Promise<void> {
      expect(res.status).toBe(400)
      expect(((await res.json()) as any).error).toBe(error)
    }

    const redeem = (code: string) =>
      call('/token', {
        method: 'POST',
        key: null,
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ grant_type: PRE_AUTH_GRANT, 'pre-authorized_code': code }).toString(),
      })

    async function createKey(scopes: string[]): Promise<{ id: string; key: string }> {
      const res = await post('/v1/api-keys', { name: `test ${scopes.join(' ')}`, scopes })
      expect(res.status).toBe(201)
      return (await res.json()) as { id: string; key: string }
    }

    describe('authentication (RFC 6750)', () => {
      it('RFC 9457 / RFC 6750 §3: a /v1 request without Authorization is 401 agent.unauthorized (problem+json, WWW-Authenticate: Bearer), nothing written', async () => {
        const before = await counts()
        const res = await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }, null)
        await expectProblem(res, 401, 'agent.unauthorized')
        expect(res.headers.get('www-authenticate')).toBe('Bearer')
        await expectProblem(await get('/v1/issuance-sessions', null), 401, 'agent.unauthorized')
        expect(await counts()).toEqual(before)
      })

      it('a malformed or unknown API key is 401 agent.unauthorized, nothing written', async () => {
        const before = await counts()
        const body = { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }
        const wrongSecret = `${admin.slice(0, -1)}${admin.endsWith('A') ? 'B' : 'A'}`
        for (const authorization of [
          `Basic ${Buffer.from('admin:admin').toString('base64')}`,
          'Bearer',
          'Bearer two words',
          `Bearer ${'x'.repeat(201)}`,
          'Bearer not-a-bonafide-key',
          `Bearer bfk_${'A'.repeat(16)}_${'B'.repeat(43)}`,
          `Bearer ${wrongSecret}`,
        ]) {
          const res = await call('/v1/offers', { method: 'POST', json: body, authorization })
          await expectProblem(res, 401, 'agent.unauthorized')
        }
        expect(await counts()).toEqual(before)
      })

      it('a revoked API key is 401 agent.unauthorized; revoking it twice is 404 agent.not_found; nothing written', async () => {
        const k = await createKey(['issuer'])
        expect((await get('/v1/issuance-sessions', k.key)).status).toBe(200)
        const del = await call(`/v1/api-keys/${k.id}`, { method: 'DELETE' })
        expect(del.status).toBe(204)
        const list = (await (await get('/v1/api-keys')).json()) as any
        expect(list.items.find((i: any) => i.id === k.id).revokedAt).toBeTypeOf('number')
        const before = await counts()
        await expectProblem(await get('/v1/issuance-sessions', k.key), 401, 'agent.unauthorized')
        await expectProblem(
          await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }, k.key),
          401,
          'agent.unauthorized',
        )
        await expectProblem(await call(`/v1/api-keys/${k.id}`, { method: 'DELETE' }), 404, 'agent.not_found')
        expect(await counts()).toEqual(before)
      })
    })

    describe('authorization (scopes)', () => {
      it('a verifier-scoped key is 403 agent.forbidden on POST /v1/offers and POST /v1/keys/rotate, nothing written', async () => {
        const k = await createKey(['verifier'])
        const before = await counts()
        await expectProblem(
          await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }, k.key),
          403,
          'agent.forbidden',
        )
        await expectProblem(await call('/v1/keys/rotate', { method: 'POST', key: k.key }), 403, 'agent.forbidden')
        expect(await counts()).toEqual(before)
        // The scope it has still works.
        expect((await get('/v1/schemas', k.key)).status).toBe(200)
      })

      it('a registry-scoped key may POST /v1/schemas (201) but not POST /v1/offers (403)', async () => {
        const k = await createKey(['registry'])
        const res = await post(
          '/v1/schemas',
          { name: 'org.example.scoped', version: '1.0.0', author: 'test', schema: SCHEMA_V1 },
          k.key,
        )
        expect(res.status).toBe(201)
        expect(((await res.json()) as any).name).toBe('org.example.scoped')
        const before = await counts()
        await expectProblem(
          await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }, k.key),
          403,
          'agent.forbidden',
        )
        expect(await counts()).toEqual(before)
      })
    })

    describe('offer validation', () => {
      it('POST /v1/offers with an unknown configuration id is 404 agent.configuration_unknown, no session stored', async () => {
        const before = await counts()
        const b = await expectProblem(
          await post('/v1/offers', { configurationIds: ['no_such_configuration'], claims: PID_CLAIMS }),
          404,
          'agent.configuration_unknown',
        )
        expect(b.errors?.[0]?.path).toBe('/configurationIds')
        // One unknown id among known ones stores nothing either.
        await expectProblem(
          await post('/v1/offers', { configurationIds: ['pid_sd_jwt', 'no_such_configuration'], claims: PID_CLAIMS }),
          404,
          'agent.configuration_unknown',
        )
        expect(await counts()).toEqual(before)
      })

      it('PID claims missing given_name and with birthdate "not-a-date" are 400 agent.claims_invalid listing both paths, nothing stored', async () => {
        const before = await counts()
        const { given_name: _, ...rest } = PID_CLAIMS
        const b = await expectProblem(
          await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: { ...rest, birthdate: 'not-a-date' } }),
          400,
          'agent.claims_invalid',
        )
        const paths: string[] = b.errors.map((e: { path: string }) => e.path)
        expect(paths.some((p) => p.startsWith('/pid_sd_jwt') && p.includes('given_name'))).toBe(true)
        expect(paths.some((p) => p.startsWith('/pid_sd_jwt') && p.includes('birthdate'))).toBe(true)
        expect(await counts()).toEqual(before)
      })

      it('ISO 18013-5 §7.2.1: mDL claims that break the doctype are 400 agent.claims_invalid, nothing stored', async () => {
        const before = await counts()
        const b = await expectProblem(
          await post('/v1/offers', {
            configurationIds: ['mdl_mdoc'],
            claims: { 'org.iso.18013.5.1': { family_name: 'Mustermann', sex: 5, not_an_mdl_element: 'x' } },
          }),
          400,
          'agent.claims_invalid',
        )
        const paths: string[] = b.errors.map((e: { path: string }) => e.path)
        expect(paths.every((p) => p.startsWith('/mdl_mdoc/'))).toBe(true)
        expect(paths).toContain('/mdl_mdoc/org.iso.18013.5.1/given_name')
        expect(paths).toContain('/mdl_mdoc/org.iso.18013.5.1/sex')
        expect(paths).toContain('/mdl_mdoc/org.iso.18013.5.1/not_an_mdl_element')
        expect(await counts()).toEqual(before)
      })

      it('an offer without claims is 400 agent.claims_invalid, nothing stored', async () => {
        const before = await counts()
        await expectProblem(await post('/v1/offers', { configurationIds: ['pid_sd_jwt'] }), 400, 'agent.claims_invalid')
        expect(await counts()).toEqual(before)
      })
    })

    describe('request bodies', () => {
      const offer = { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS }

      it('RFC 9110 §15.5.14: a body over BONAFIDE_MAX_BODY_BYTES is 413 agent.body_too_large (counted while read, and by Content-Length), nothing written', async () => {
        const before = await counts()
        const big = { ...offer, claims: { ...PID_CLAIMS, family_name: 'x'.repeat(MAX_BODY) } }
        await expectProblem(await post('/v1/offers', big), 413, 'agent.body_too_large')
        const declared = await call('/v1/offers', {
          method: 'POST',
          json: big,
          headers: { 'content-length': String(JSON.stringify(big).length) },
        })
        await expectProblem(declared, 413, 'agent.body_too_large')
        expect(await counts()).toEqual(before)
      })

      it('malformed JSON is 400 agent.body_malformed, nothing written', async () => {
        const before = await counts()
        for (const body of ['{"configurationIds": [', 'not json', ''])
          await expectProblem(
            await call('/v1/offers', { method: 'POST', body, contentType: 'application/json' }),
            400,
            'agent.body_malformed',
          )
        expect(await counts()).toEqual(before)
      })

      it('RFC 9110 §15.5.16: a non-JSON content type is 415 agent.unsupported_media_type, nothing written', async () => {
        const before = await counts()
        for (const contentType of ['text/plain', 'application/x-www-form-urlencoded'])
          await expectProblem(
            await call('/v1/offers', { method: 'POST', body: JSON.stringify(offer), contentType }),
            415,
            'agent.unsupported_media_type',
          )
        await expectProblem(
          await call('/v1/offers', { method: 'POST', body: JSON.stringify(offer) }),
          415,
          'agent.unsupported_media_type',
        )
        expect(await counts()).toEqual(before)
      })

      it('a JSON array (or scalar) body is 400 agent.body_malformed, nothing written', async () => {
        const before = await counts()
        for (const json of [[offer], 'text', 42, null])
          await expectProblem(
            await call('/v1/offers', { method: 'POST', body: JSON.stringify(json), contentType: 'application/json' }),
            400,
            'agent.body_malformed',
          )
        expect(await counts()).toEqual(before)
      })

      it('OpenID4VCI §4.1.1: a tx code with the authorization code grant is 400 agent.body_invalid, nothing written', async () => {
        const before = await counts()
        const b = await expectProblem(
          await post('/v1/offers', {
            configurationIds: ['pid_sd_jwt'],
            claims: PID_CLAIMS,
            txCode: true,
            grant: 'authorization_code',
          }),
          400,
          'agent.body_invalid',
        )
        expect(b.errors.map((e: any) => e.path)).toEqual(['/txCode'])
        expect(await counts()).toEqual(before)
      })

      it('an unknown member in the offer body is 400 agent.body_invalid, nothing written', async () => {
        const before = await counts()
        await expectProblem(await post('/v1/offers', { ...offer, surprise: true }), 400, 'agent.body_invalid')
        await expectProblem(await post('/v1/offers', { ...offer, expiresInSeconds: 5 }), 400, 'agent.body_invalid')
        expect(await counts()).toEqual(before)
      })
    })

    describe('credential status', () => {
      it('revoking an unknown credential is 404 agent.not_found; an unknown batch too; nothing written', async () => {
        const before = await counts()
        await expectProblem(await call('/v1/credentials/cred_unknown/revoke', { method: 'POST' }), 404, 'agent.not_found')
        await expectProblem(await call('/v1/batches/batch_unknown/revoke', { method: 'POST' }), 404, 'agent.not_found')
        await expectProblem(await call('/v1/batches/batch_unknown/suspend', { method: 'POST' }), 404, 'agent.not_found')
        expect(await counts()).toEqual(before)
      })
    })

    describe('schema registry', () => {
      const name = 'org.example.registry-test'
      const input = (version: string, schema: object) => ({ name, version, author: 'test', schema })
      let v1Id = ''

      it('POST /v1/schemas registers 1.0.0 (201); GET /schemas/{id} is public and returns the JSON Schema', async () => {
        const res = await post('/v1/schemas', input('1.0.0', SCHEMA_V1))
        expect(res.status).toBe(201)
        const rec = (await res.json()) as any
        expect(rec).toMatchObject({ name, version: '1.0.0' })
        v1Id = rec.id
        const pub = await get(`/schemas/${encodeURIComponent(v1Id)}`, null)
        expect(pub.status).toBe(200)
        expect(pub.headers.get('content-type')).toMatch(/^application\/schema\+json/)
        expect(await pub.json()).toEqual(SCHEMA_V1)
      })

      it('a breaking change (new required property) as 1.1.0 is 400 schema.version_bump_required, nothing stored', async () => {
        const before = await counts()
        await expectProblem(await post('/v1/schemas', input('1.1.0', SCHEMA_BREAKING)), 400, 'schema.version_bump_required')
        expect(await counts()).toEqual(before)
      })

      it('the same breaking change as 2.0.0 is 201', async () => {
        const res = await post('/v1/schemas', input('2.0.0', SCHEMA_BREAKING))
        expect(res.status).toBe(201)
        expect(((await res.json()) as any).version).toBe('2.0.0')
        const list = (await (await get(`/v1/schemas?name=${name}`)).json()) as any
        expect(list.items.map((s: any) => s.version)).toEqual(['1.0.0', '2.0.0'])
      })

      it('the same version with different content is 409 schema.version_exists, nothing stored; the same content again is idempotent', async () => {
        const before = await counts()
        await expectProblem(await post('/v1/schemas', input('1.0.0', SCHEMA_BREAKING)), 409, 'schema.version_exists')
        expect(await counts()).toEqual(before)
        const again = await post('/v1/schemas', input('1.0.0', SCHEMA_V1))
        expect(again.status).toBe(201)
        expect(((await again.json()) as any).id).toBe(v1Id)
        expect(await counts()).toEqual(before)
      })

      it('a schema id with percent signs is found at /schemas/{encoded id} (decoded once)', async () => {
        for (const id of ['urn:x:a%25b', 'urn:x:100%']) {
          const r = await post('/v1/schemas', {
            id,
            name: `pct.${id.length}.${id.endsWith('%') ? 'a' : 'b'}`,
            version: '1.0.0',
            author: 'did:example:a',
            schema: { type: 'object' },
          })
          expect(r.status).toBe(201)
          expect((await get(`/schemas/${encodeURIComponent(id)}`, null)).status).toBe(200)
        }
      })

      it('an unknown schema id at /schemas/{id} is 404 agent.not_found', async () => {
        await expectProblem(await get(`/schemas/${encodeURIComponent('urn:uuid:unknown')}`, null), 404, 'agent.not_found')
      })
    })

    describe('offers and the pre-authorized code flow (OpenID4VCI)', () => {
      let session = ''
      let code = ''

      it('OpenID4VCI §4.1: POST /v1/offers is 201 with an openid-credential-offer:// link, an SVG QR code and a session in state offered', async () => {
        const res = await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS })
        expect(res.status).toBe(201)
        const b = (await res.json()) as any
        expect(b.offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/)
        expect(b.qrSvg).toMatch(/^(<\?xml[^>]*\?>\s*)?<svg/)
        expect(b.sessionId).toMatch(/^iss_/)
        session = b.sessionId
        code = preAuthorizedCodeOf(b.offer)
        const s = (await (await get(`/v1/issuance-sessions/${session}`)).json()) as any
        expect(s).toMatchObject({ id: session, state: 'offered', configurationIds: ['pid_sd_jwt'], offer: b.offer })
      })

      it('OpenID4VCI §6.1: redeeming the pre-authorized code at /token is 200 and the session becomes token_issued', async () => {
        const res = await redeem(code)
        expect(res.status).toBe(200)
        const t = (await res.json()) as any
        expect(t.token_type).toBe('Bearer')
        expect(typeof t.access_token).toBe('string')
        const s = (await (await get(`/v1/issuance-sessions/${session}`)).json()) as any
        expect(s.state).toBe('token_issued')
      })

      it('OpenID4VCI §6.3: redeeming the same pre-authorized code again is 400 invalid_grant, nothing written', async () => {
        const before = await counts()
        await expectOAuthError(await redeem(code), 'invalid_grant')
        expect(await counts()).toEqual(before)
        const s = (await (await get(`/v1/issuance-sessions/${session}`)).json()) as any
        expect(s.state).toBe('token_issued')
      })

      it('OpenID4VCI §6.3: an offer read after expiresInSeconds is expired, and its code is 400 invalid_grant', async () => {
        const res = await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS, expiresInSeconds: 30 })
        expect(res.status).toBe(201)
        const b = (await res.json()) as any
        clock.advanceSeconds(31)
        const s = (await (await get(`/v1/issuance-sessions/${b.sessionId}`)).json()) as any
        expect(s.state).toBe('expired')
        const expired = (await (await get('/v1/issuance-sessions?state=expired')).json()) as any
        expect(expired.items.map((i: any) => i.id)).toContain(b.sessionId)
        const before = await counts()
        await expectOAuthError(await redeem(preAuthorizedCodeOf(b.offer)), 'invalid_grant')
        const after = await counts()
        expect({ ...after, issuer_state: 0 }).toEqual({ ...before, issuer_state: 0 })
        const again = (await (await get(`/v1/issuance-sessions/${b.sessionId}`)).json()) as any
        expect(again.state).toBe('expired')
      })
    })

    describe('operator approval', () => {
      it('approving a session that requires approval is 200 once; a second approval is 409 agent.session_not_pending, nothing written', async () => {
        const res = await post('/v1/offers', { configurationIds: ['pid_sd_jwt'], claims: PID_CLAIMS, requireApproval: true })
        expect(res.status).toBe(201)
        const { sessionId } = (await res.json()) as any
        const s = (await (await get(`/v1/issuance-sessions/${sessionId}`)).json()) as any
        expect(s).toMatchObject({ requiresApproval: true, approval: null })
        const ok = await post(`/v1/issuance-sessions/${sessionId}/approve`, {})
        expect(ok.status).toBe(200)
        expect(((await ok.json()) as any).approval).toBe('approved')
        const before = await counts()
        await expectProblem(await post(`/v1/issuance-sessions/${sessionId}/approve`, {}), 409, 'agent.session_not_pending')
        await expectProblem(
          await post(`/v1/issuance-sessions/${sessionId}/reject`, { reason: 'late' }),
          409,
          'agent.session_not_pending',
        )
        expect(await counts()).toEqual(before)
        const after = (await (await get(`/v1/issuance-sessions/${sessionId}`)).json()) as any
        expect(after.approval).toBe('approved')
      })

      it('an expired offer is not pending: approving it is 409 agent.session_not_pending, nothing written', async () => {
        const res = await post('/v1/offers', {
          configurationIds: ['pid_sd_jwt'],
          claims: PID_CLAIMS,
          requireApproval: true,
          expiresInSeconds: 30,
        })
        const { sessionId } = (await res.json()) as any
        clock.advanceSeconds(31)
        const before = await counts()
        await expectProblem(await post(`/v1/issuance-sessions/${sessionId}/approve`, {}), 409, 'agent.session_not_pending')
        expect(await counts()).toEqual(before)
      })

      it('approving an unknown session is 404 agent.not_found, nothing written', async () => {
        const before = await counts()
        await expectProblem(await post('/v1/issuance-sessions/iss_unknown/approve', {}), 404, 'agent.not_found')
        expect(await counts()).toEqual(before)
      })
    })

    describe('API documentation', () => {
      it('OpenAPI 3.1: /openapi.json documents POST /v1/offers with a request body schema listing configurationIds', async () => {
        const res = await get('/openapi.json', null)
        expect(res.status).toBe(200)
        const doc = (await res.json()) as any
        expect(doc.openapi).toBe('3.1.0')
        const schema = doc.paths['/v1/offers']?.post?.requestBody?.content?.['application/json']?.schema
        expect(Object.keys(schema.properties)).toContain('configurationIds')
        expect(schema.required).toContain('configurationIds')
      })

      it('GET /docs is HTML that loads /docs/swagger-ui-bundle.js, which is served as JavaScript', async () => {
        const page = await get('/docs', null)
        expect(page.status).toBe(200)
        expect(page.headers.get('content-type')).toMatch(/^text\/html/)
        expect(await page.text()).toContain('/docs/swagger-ui-bundle.js')
        const js = await get('/docs/swagger-ui-bundle.js', null)
        expect(js.status).toBe(200)
        expect(js.headers.get('content-type')).toMatch(/javascript/)
        expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(1000)
      })
    })

    describe('health', () => {
      it('/health/live is 200; /health/ready is 200 with the database, migrations and keys checks true', async () => {
        expect((await get('/health/live', null)).status).toBe(200)
        const ready = await get('/health/ready', null)
        expect(ready.status).toBe(200)
        expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, keys: true } })
      })
    })

    describe('key rotation', () => {
      it('SD-JWT VC §5 / did:web: after POST /v1/keys/rotate the JWKS lists the new and the old key, and did.json has two verification methods', async () => {
        const jwks = async () => ((await (await get('/.well-known/jwt-vc-issuer', null)).json()) as any).jwks.keys as any[]
        const first = await jwks()
        expect(first).toHaveLength(1)
        const oldKid = first[0].kid
        const res = await call('/v1/keys/rotate', { method: 'POST' })
        expect(res.status).toBe(200)
        const r = (await res.json()) as any
        expect(r.retired).toEqual([oldKid])
        expect(r.kid).not.toBe(oldKid)
        const after = await jwks()
        expect(after.map((k) => k.kid).sort()).toEqual([oldKid, r.kid].sort())
        const did = await get('/.well-known/did.json', null)
        expect(did.headers.get('content-type')).toMatch(/^application\/did\+json/)
        const doc = (await did.json()) as any
        expect(doc.id).toBe(ctx.did)
        expect(doc.verificationMethod).toHaveLength(2)
        expect(doc.verificationMethod.map((v: any) => v.id).sort()).toEqual(
          [`${ctx.did}#${oldKid}`, `${ctx.did}#${r.kid}`].sort(),
        )
      })
    })
  })
}
