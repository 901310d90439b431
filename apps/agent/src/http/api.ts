import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { AgentContext } from '../context.js'
import type { Scope } from '../services/api-keys.js'
import { issuesOf } from '../services/configurations.js'
import { ApiProblem } from '../services/problem.js'
import { readJson } from './body.js'

/** One API operation: the same zod schemas validate requests and generate the OpenAPI document. */
export interface Operation<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'delete'
  /** OpenAPI path, e.g. `/v1/offers/{id}`. */
  path: string
  scopes: readonly Scope[]
  tag: string
  summary: string
  body?: B
  query?: Q
  /** Status of a success (default 200). */
  status?: number
  handler(a: {
    ctx: AgentContext
    c: Context
    params: Record<string, string>
    body: z.output<B>
    query: z.output<Q>
  }): Promise<unknown>
}

export const op = <B extends z.ZodType, Q extends z.ZodType>(o: Operation<B, Q>): Operation => o as unknown as Operation

const zParam = z.string().regex(/^[A-Za-z0-9_.:%-]{1,200}$/)

/** Mount operations on a Hono app (auth is checked by the caller's middleware through `scopesFor`). */
export function mountOperations(
  app: Hono<{ Variables: { scopes: readonly Scope[] } }>,
  ctx: AgentContext,
  ops: readonly Operation[],
): void {
  for (const o of ops) {
    const path = o.path.replace(/\{(\w+)\}/g, ':$1')
    app.on(o.method.toUpperCase(), path, async (c) => {
      const have = c.get('scopes') ?? []
      if (!have.includes('admin') && !o.scopes.some((s) => have.includes(s)))
        throw new ApiProblem(403, 'agent.forbidden', `this key lacks the scope for this operation (${o.scopes.join(' or ')})`)
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(c.req.param() as Record<string, string>)) {
        if (!zParam.safeParse(v).success) throw new ApiProblem(400, 'agent.parameter_invalid', `path parameter ${k} is invalid`)
        params[k] = v
      }
      let body: unknown
      if (o.body) {
        const p = o.body.safeParse(await readJson(c, ctx.config.maxBodyBytes))
        if (!p.success) throw new ApiProblem(400, 'agent.body_invalid', 'the request body is invalid', issuesOf(p.error))
        body = p.data
      }
      let query: unknown
      if (o.query) {
        const p = o.query.safeParse(c.req.query())
        if (!p.success) throw new ApiProblem(400, 'agent.query_invalid', 'the query is invalid', issuesOf(p.error))
        query = p.data
      }
      const out = await o.handler({ ctx, c, params, body: body as never, query: query as never })
      if (out instanceof Response) return out
      if (out === undefined) return c.body(null, 204)
      return c.json(out, (o.status ?? 200) as 200)
    })
  }
}

const PROBLEM = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
}

/** The OpenAPI 3.1 document for the operations. */
export function openApiDocument(ops: readonly Operation[], o: { publicUrl: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const x of ops) {
    const params = [...x.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    if (x.query) {
      const js = z.toJSONSchema(x.query, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>
        required?: string[]
      }
      for (const [name, schema] of Object.entries(js.properties ?? {}))
        params.push({ name, in: 'query', required: (js.required ?? []).includes(name), schema } as never)
    }
    paths[x.path] ??= {}
    ;(paths[x.path] as Record<string, unknown>)[x.method] = {
      tags: [x.tag],
      summary: x.summary,
      security: [{ bearer: [] }],
      description: `Scopes: ${x.scopes.join(' or ')} (or admin).`,
      ...(params.length ? { parameters: params } : {}),
      ...(x.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(x.body, { io: 'input', unrepresentable: 'any' }) } },
            },
          }
        : {}),
      responses: {
        [String(x.status ?? 200)]: { description: 'Success' },
        '400': PROBLEM,
        '401': PROBLEM,
        '403': PROBLEM,
        '404': PROBLEM,
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bonafide agent',
      version: o.version,
      description:
        'Issuance, verification sessions, the holder wallet, trust, schema registry, keys, revocation, events and webhooks. Errors are RFC 9457 problem details with a stable `code`.',
    },
    servers: [{ url: o.publicUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (bfk_…)' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  }
}
