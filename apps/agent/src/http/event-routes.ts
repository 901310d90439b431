import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { AgentContext } from '../context.js'
import { type EventQuery, zEventQuery } from '../services/events.js'
import { type Operation, op } from './api.js'

const KEEPALIVE_MS = 15_000
const zStreamQuery = z.strictObject({ type: zEventQuery.shape.type })

/**
 * Server-sent events (text/event-stream): each event's `id` is its sequence number, so a client that reconnects
 * with `Last-Event-ID` misses nothing. Session streams replay the session's events from its start.
 */
function sse(ctx: AgentContext, c: Context, q: Omit<EventQuery, 'after' | 'limit'>, fromStart: boolean) {
  const release = ctx.events.acquire()
  const lastId = c.req.header('last-event-id')
  return streamSSE(
    c,
    async (stream) => {
      let aborted = false
      stream.onAbort(() => {
        aborted = true
      })
      let after = lastId && /^\d{1,15}$/.test(lastId) ? Number(lastId) : fromStart ? 0 : await ctx.events.head()
      let quiet = 0
      try {
        while (!aborted && !ctx.events.closing) {
          const page = await ctx.events.list({ ...q, after, limit: 500 })
          for (const e of page.items) await stream.writeSSE({ id: String(e.seq), event: e.type, data: JSON.stringify(e) })
          after = page.items.at(-1)?.seq ?? after
          quiet = page.items.length ? 0 : quiet + ctx.events.pollMs
          if (quiet >= KEEPALIVE_MS) {
            await stream.write(': keep-alive\n\n')
            quiet = 0
          }
          if (!page.next) await stream.sleep(ctx.events.pollMs)
        }
      } finally {
        release()
      }
    },
    async () => release(),
  )
}

/** The event log and its live streams: per issuance session, per presentation session, and the whole agent. */
export const EVENT_OPERATIONS: readonly Operation[] = [
  op({
    method: 'get',
    path: '/v1/events',
    scopes: ['admin'],
    tag: 'Events',
    summary: 'The event log in order (`after` = the last seq seen; `next` is the cursor of the next page)',
    query: zEventQuery,
    handler: ({ ctx, query }) => ctx.events.list(query),
  }),
  op({
    method: 'get',
    path: '/v1/events/stream',
    scopes: ['admin'],
    tag: 'Events',
    summary: "Every event of the agent, live (text/event-stream; resumes from Last-Event-ID) — the console's feed",
    query: zStreamQuery,
    handler: async ({ ctx, c, query }) => sse(ctx, c, query.type ? { type: query.type } : {}, false),
  }),
  op({
    method: 'get',
    path: '/v1/issuance-sessions/{id}/events',
    scopes: ['issuer'],
    tag: 'Events',
    summary: 'One issuance session, live: offered → token → credentials issued (from its start)',
    handler: async ({ ctx, c, params }) => {
      await ctx.offers.get(params.id as string) // 404 for an unknown session
      return sse(ctx, c, { subject: params.id as string }, true)
    },
  }),
  op({
    method: 'get',
    path: '/v1/presentation-sessions/{id}/events',
    scopes: ['verifier'],
    tag: 'Events',
    summary: 'One verification session, live: created → request fetched → verified / failed → accepted / rejected',
    handler: async ({ ctx, c, params }) => {
      await ctx.verification.get(params.id as string)
      return sse(ctx, c, { subject: params.id as string }, true)
    },
  }),
]
