import { STATUS_LIST_CWT_MEDIA_TYPE, STATUS_LIST_JWT_MEDIA_TYPE } from '@bonafide/status-list'
import type { Context, Hono } from 'hono'
import type { AgentContext } from '../context.js'
import { migrationsCurrent } from '../db/migrate.js'
import { PID_TYPE_METADATA_BYTES } from '../defaults/pid-schema.js'
import { oauthError } from '../services/verification.js'
import { readLimited } from './body.js'
import { problem } from './problem.js'

const json = (body: unknown, maxAge: number, type = 'application/json') =>
  new Response(JSON.stringify(body), { headers: { 'content-type': type, 'cache-control': `public, max-age=${maxAge}` } })

const OPENID_PATHS = [
  '/credential-offer/*',
  '/par',
  '/authorize',
  '/token',
  '/nonce',
  '/credential',
  '/deferred_credential',
  '/notification',
]

/** The open side: OpenID4VCI endpoints, keys, the trust anchor, status lists, schemas, health. */
export function mountPublic(app: Hono, ctx: AgentContext): void {
  const issuerHandle = async (req: Request) => (await ctx.runtime.current()).issuer.handle(req)
  app.get('/.well-known/openid-credential-issuer', (c) => issuerHandle(c.req.raw))
  app.get('/.well-known/oauth-authorization-server', (c) => issuerHandle(c.req.raw))
  for (const p of OPENID_PATHS) app.all(p, (c) => issuerHandle(c.req.raw))

  // OpenID4VP: request_uri (GET, or POST with wallet metadata, §5.10) and response_uri, per client id prefix and mode.
  // Bodies (wallet metadata, the response) are read here, at most 1 MiB counted while streaming.
  const vp = async (c: Context, what: 'request' | 'response', id?: string) => {
    const raw = c.req.raw
    const body = raw.method === 'POST' ? await readLimited(raw, 1 << 20) : undefined
    if (body === null) return oauthError(413, 'the body is too large')
    return ctx.verification.handle(
      c.req.param('prefix') ?? '',
      c.req.param('mode') ?? '',
      what,
      { method: raw.method, headers: raw.headers, body },
      id,
    )
  }
  app.on(['GET', 'POST'], '/openid4vp/:prefix/:mode/request/:id', (c) => vp(c, 'request', c.req.param('id')))
  app.post('/openid4vp/:prefix/:mode/response', (c) => vp(c, 'response'))

  // AnonCreds objects by their URL identifiers (what anoncreds-rs and Credo resolve)
  const uuid = '{[0-9a-f-]{36}}'
  app.get(`/anoncreds/schemas/:id${uuid}`, async (c) =>
    json(await ctx.anoncreds.schema(`${ctx.publicUrl}/anoncreds/schemas/${c.req.param('id')}`), 3600),
  )
  app.get(`/anoncreds/credential-definitions/:id${uuid}`, async (c) => {
    const d = await ctx.anoncreds.credentialDefinition(`${ctx.publicUrl}/anoncreds/credential-definitions/${c.req.param('id')}`)
    return json(d.credentialDefinition, 3600)
  })

  const jwks = async () => ({
    keys: (await ctx.keys.published()).map((k) => ({
      ...k.publicJwk,
      kid: k.id,
      use: 'sig',
      alg: 'ES256',
      ...(k.certificate ? { x5c: [k.certificate] } : {}),
    })),
  })
  app.get('/jwks.json', async () => json(await jwks(), 300))
  // SD-JWT VC §5: JWT VC Issuer Metadata.
  app.get('/.well-known/jwt-vc-issuer', async () => json({ issuer: ctx.publicUrl, jwks: await jwks() }, 300))
  // did:web (W3C did:web §3.2): the issuer's keys as verification methods.
  app.get('/.well-known/did.json', async () => {
    const keys = await ctx.keys.published()
    const vm = keys.map((k) => ({ id: `${ctx.did}#${k.id}`, type: 'JsonWebKey', controller: ctx.did, publicKeyJwk: k.publicJwk }))
    return json(
      {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
        id: ctx.did,
        verificationMethod: vm,
        assertionMethod: vm.map((v) => v.id),
        authentication: vm.map((v) => v.id),
      },
      300,
      'application/did+json',
    )
  })
  app.get(
    '/trust-anchor.pem',
    async () =>
      new Response(await ctx.keys.rootPem(), {
        headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=3600' },
      }),
  )
  // SD-JWT VC §4.3.2 (a registry): the PID's Type Metadata, the bytes its vct#integrity covers.
  app.get(
    '/type-metadata/pid',
    () =>
      new Response(PID_TYPE_METADATA_BYTES, {
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' },
      }),
  )
  // Type Metadata of every dc+sd-jwt configuration with a schema: the bytes its credentials' vct#integrity covers.
  app.get('/type-metadata/:config', async (c) => {
    const t = (await ctx.runtime.current()).typeMetadata.get(c.req.param('config'))
    if (!t) return problem(404, 'agent.not_found', 'no type metadata for this configuration')
    return new Response(new Uint8Array(t.bytes), {
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600', 'x-integrity': t.integrity },
    })
  })

  // draft-ietf-oauth-status-list §8.1: JWT by default, CWT when only the CWT type is accepted.
  app.get('/status/:id', async (c) => {
    const id = c.req.param('id')
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return problem(404, 'agent.not_found', 'no such status list')
    const accept = c.req.header('accept') ?? ''
    const headers = { 'cache-control': 'public, max-age=300', vary: 'accept' }
    if (accept.includes(STATUS_LIST_CWT_MEDIA_TYPE) && !accept.includes(STATUS_LIST_JWT_MEDIA_TYPE))
      return new Response(await ctx.status.cwt(id), { headers: { ...headers, 'content-type': STATUS_LIST_CWT_MEDIA_TYPE } })
    return new Response(await ctx.status.jwt(id), { headers: { ...headers, 'content-type': STATUS_LIST_JWT_MEDIA_TYPE } })
  })
  app.get('/status/:id/:purpose{revocation|suspension}', async (c) => {
    const id = c.req.param('id')
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return problem(404, 'agent.not_found', 'no such status list')
    const body = await ctx.status.bitstring(id, c.req.param('purpose') as 'revocation' | 'suspension', ctx.publicUrl)
    return new Response(body, { headers: { 'content-type': 'application/vc+jwt', 'cache-control': 'public, max-age=300' } })
  })

  // Each schema version is public at a stable URL.
  app.get('/schemas/:id', async (c) => {
    const s = await ctx.registry.get(c.req.param('id'))
    if (!s) return problem(404, 'agent.not_found', 'no such schema')
    return json(s.schema, 86400, 'application/schema+json')
  })

  app.get('/health/live', () => json({ status: 'ok', pid: process.pid }, 0))
  app.get('/health/ready', async () => {
    const checks: Record<string, boolean> = {}
    checks.database = await ctx.database.db
      .selectFrom('settings')
      .select('key')
      .limit(1)
      .execute()
      .then(
        () => true,
        () => false,
      )
    checks.migrations = checks.database ? await migrationsCurrent(ctx.database.db).catch(() => false) : false
    checks.keys = checks.database
      ? await ctx.keys.active().then(
          () => true,
          () => false,
        )
      : false
    const ok = Object.values(checks).every(Boolean)
    return new Response(JSON.stringify({ status: ok ? 'ready' : 'unavailable', checks }), {
      status: ok ? 200 : 503,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  })
}
