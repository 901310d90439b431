import { z } from 'zod'
import { zApiKeyInput } from '../services/api-keys.js'
import { zConfigurationInput } from '../services/configurations.js'
import type { StatusAction } from '../services/credentials.js'
import { SESSION_STATES, zOfferInput } from '../services/offers.js'
import { zPageQuery } from '../services/pagination.js'
import { notFound } from '../services/problem.js'
import { type Operation, op } from './api.js'

const zLimit = z
  .string()
  .regex(/^\d{1,4}$/)
  .transform(Number)
  .refine((n) => n >= 1 && n <= 1000, '1..1000')
  .optional()
const zIdQ = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,128}$/)
  .optional()
const zReason = z.strictObject({ reason: z.string().min(1).max(500).optional() })

const statusOps = (['revoke', 'suspend', 'reinstate'] as const).flatMap((action: StatusAction) => [
  op({
    method: 'post',
    path: `/v1/credentials/{id}/${action}`,
    scopes: ['issuer'],
    tag: 'Credentials',
    summary: `${action[0]?.toUpperCase()}${action.slice(1)} one credential (its status list is re-signed on the next fetch)`,
    handler: async ({ ctx, params }) => {
      const items = await ctx.credentials.setStatus({ id: params.id as string }, action)
      return { updated: items.length, items }
    },
  }),
  op({
    method: 'post',
    path: `/v1/batches/{id}/${action}`,
    scopes: ['issuer'],
    tag: 'Credentials',
    summary: `${action[0]?.toUpperCase()}${action.slice(1)} every credential of a batch, atomically`,
    handler: async ({ ctx, params }) => {
      const items = await ctx.credentials.setStatus({ batchId: params.id as string }, action)
      return { updated: items.length, items }
    },
  }),
])

/** The agent's REST API under /v1. */
export const V1_OPERATIONS: readonly Operation[] = [
  op({
    method: 'get',
    path: '/v1/batches/{id}/audit',
    scopes: ['issuer'],
    tag: 'Credentials',
    summary:
      'Unlinkability audit of a batch from its issuance records: what colluding verifiers could use to link its copies (shared exact times, one holder key, equal or adjacent status indices, small lists)',
    handler: ({ ctx, params }) => ctx.credentials.audit(params.id as string),
  }),
  op({
    method: 'post',
    path: '/v1/offers',
    scopes: ['issuer'],
    tag: 'Issuance',
    summary: 'Create a credential offer (claims checked against each schema first): URI, QR code (SVG), session id',
    body: zOfferInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.offers.create(body),
  }),
  op({
    method: 'get',
    path: '/v1/issuance-sessions',
    scopes: ['issuer'],
    tag: 'Issuance',
    summary: 'List issuance sessions, newest first',
    query: zPageQuery.extend({ state: z.enum(SESSION_STATES).optional(), configurationId: zIdQ }),
    handler: ({ ctx, query }) => ctx.offers.list(query),
  }),
  op({
    method: 'get',
    path: '/v1/issuance-sessions/{id}',
    scopes: ['issuer'],
    tag: 'Issuance',
    summary: 'One issuance session and its state',
    handler: ({ ctx, params }) => ctx.offers.get(params.id as string),
  }),
  op({
    method: 'post',
    path: '/v1/issuance-sessions/{id}/approve',
    scopes: ['issuer'],
    tag: 'Issuance',
    summary: "Approve a session that requires an operator: the wallet's next deferred request gets its credentials",
    body: zReason,
    handler: ({ ctx, params, body }) => ctx.offers.decide(params.id as string, 'approved', body.reason),
  }),
  op({
    method: 'post',
    path: '/v1/issuance-sessions/{id}/reject',
    scopes: ['issuer'],
    tag: 'Issuance',
    summary: "Reject a session that requires an operator: the wallet's next deferred request is denied",
    body: zReason,
    handler: ({ ctx, params, body }) => ctx.offers.decide(params.id as string, 'rejected', body.reason),
  }),
  op({
    method: 'get',
    path: '/v1/credentials',
    scopes: ['issuer'],
    tag: 'Credentials',
    summary: 'Issued-credential records, newest first (no claim values unless the configuration stores them)',
    query: z.strictObject({
      batch: zIdQ,
      session: zIdQ,
      status: z.enum(['valid', 'revoked', 'suspended']).optional(),
      after: zIdQ,
      limit: zLimit,
    }),
    handler: ({ ctx, query }) => ctx.credentials.list(query),
  }),
  op({
    method: 'get',
    path: '/v1/credentials/{id}',
    scopes: ['issuer'],
    tag: 'Credentials',
    summary: 'One issued-credential record',
    handler: ({ ctx, params }) => ctx.credentials.get(params.id as string),
  }),
  ...statusOps,
  op({
    method: 'get',
    path: '/v1/credential-configurations',
    scopes: ['issuer'],
    tag: 'Configurations',
    summary: 'Credential configurations (active; ?all=true includes retired)',
    query: z.strictObject({ all: z.enum(['true', 'false']).optional() }),
    handler: async ({ ctx, query }) => ({ items: await ctx.configs.list({ includeRetired: query.all === 'true' }) }),
  }),
  op({
    method: 'post',
    path: '/v1/credential-configurations',
    scopes: ['issuer'],
    tag: 'Configurations',
    summary: 'Create a credential configuration (published in the issuer metadata at once)',
    body: zConfigurationInput,
    status: 201,
    handler: async ({ ctx, body }) => {
      if (body.schemaId && !(await ctx.registry.get(body.schemaId))) throw notFound('schema')
      return ctx.configs.create(body)
    },
  }),
  op({
    method: 'post',
    path: '/v1/credential-configurations/{id}/retire',
    scopes: ['issuer'],
    tag: 'Configurations',
    summary: 'Retire a configuration: no new offers; issued credentials stay valid',
    handler: ({ ctx, params }) => ctx.configs.retire(params.id as string),
  }),
  op({
    method: 'post',
    path: '/v1/schemas',
    scopes: ['registry'],
    tag: 'Schema registry',
    summary: 'Register an immutable schema version (a breaking change needs a new major version)',
    body: z.looseObject({
      name: z.string(),
      version: z.string(),
      author: z.string(),
      tags: z.array(z.string()).optional(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()),
    }),
    status: 201,
    handler: ({ ctx, body }) => ctx.registry.add(body),
  }),
  op({
    method: 'get',
    path: '/v1/schemas',
    scopes: ['registry', 'issuer', 'verifier'],
    tag: 'Schema registry',
    summary: 'List schema versions by name, tag or author',
    query: z.strictObject({
      name: z.string().max(200).optional(),
      tag: z.string().max(64).optional(),
      author: z.string().max(256).optional(),
    }),
    handler: async ({ ctx, query }) => ({ items: await ctx.registry.list(query) }),
  }),
  op({
    method: 'get',
    path: '/v1/keys',
    scopes: ['admin'],
    tag: 'Keys',
    summary: 'Issuer signing keys: the active one and retired ones still published',
    handler: async ({ ctx }) => ({ items: await ctx.keys.published() }),
  }),
  op({
    method: 'post',
    path: '/v1/keys/rotate',
    scopes: ['admin'],
    tag: 'Keys',
    summary: 'Rotate the issuer key; the old key stays published while credentials it signed are valid',
    handler: async ({ ctx }) => {
      const r = await ctx.keys.rotate()
      return { kid: r.id, retired: r.retired }
    },
  }),
  op({
    method: 'post',
    path: '/v1/api-keys',
    scopes: ['admin'],
    tag: 'Access',
    summary: 'Create an API key (shown once)',
    body: zApiKeyInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.apiKeys.create(body),
  }),
  op({
    method: 'get',
    path: '/v1/api-keys',
    scopes: ['admin'],
    tag: 'Access',
    summary: 'List API keys (never the keys themselves)',
    handler: async ({ ctx }) => ({ items: await ctx.apiKeys.list() }),
  }),
  op({
    method: 'delete',
    path: '/v1/api-keys/{id}',
    scopes: ['admin'],
    tag: 'Access',
    summary: 'Revoke an API key',
    handler: async ({ ctx, params }) => {
      await ctx.apiKeys.revoke(params.id as string)
    },
  }),
]
