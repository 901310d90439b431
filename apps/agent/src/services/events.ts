import type { Clock } from '@bonafide/core'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { EVENT_TYPES } from './event-types.js'
import { zPageQuery } from './pagination.js'
import { ApiProblem } from './problem.js'

export interface AgentEvent {
  readonly id: string
  /** Position in the agent's event log: strictly increasing, the SSE event id and the `after` cursor. */
  readonly seq: number
  readonly type: string
  readonly subject: string
  readonly data: Record<string, unknown>
  readonly createdAt: number
}

export const zEventQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional(),
  type: z.enum(EVENT_TYPES).optional(),
  subject: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,200}$/)
    .optional(),
  limit: zPageQuery.shape.limit,
})
export type EventQuery = z.output<typeof zEventQuery>

/**
 * The agent's event log (written in the transaction of each state change) read as pages and as live streams.
 * Streams poll the log by sequence number, so they see events from every instance on one PostgreSQL.
 */
export class EventService {
  readonly #db: Db
  readonly #clock: Clock
  #open = 0
  #closing = false
  readonly maxStreams: number
  readonly pollMs: number

  constructor(o: { db: Db; clock: Clock; maxStreams?: number; pollMs?: number }) {
    this.#db = o.db
    this.#clock = o.clock
    this.maxStreams = o.maxStreams ?? 200
    this.pollMs = o.pollMs ?? 250
  }

  async list(q: EventQuery): Promise<{ items: AgentEvent[]; next: string | null }> {
    const limit = q.limit ?? 100
    let s = this.#db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', q.after ?? 0)
    if (q.type) s = s.where('type', '=', q.type)
    if (q.subject) s = s.where('subject', '=', q.subject)
    const rows = await s.orderBy('seq').limit(limit).execute()
    const items = rows.map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      type: r.type,
      subject: r.subject,
      data: r.data as Record<string, unknown>,
      createdAt: r.created_at,
    }))
    return { items, next: items.length === limit ? String(items.at(-1)?.seq) : null }
  }

  /** The latest sequence number (a new stream without Last-Event-ID starts after it). */
  async head(): Promise<number> {
    const r = await this.#db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('seq'))
      .executeTakeFirst()
    return Number(r?.seq ?? 0)
  }

  /** Count a stream in, refusing beyond the limit (each stream polls the database). */
  acquire(): () => void {
    if (this.#closing) throw new ApiProblem(503, 'agent.shutting_down', 'the agent is shutting down')
    if (this.#open >= this.maxStreams) throw new ApiProblem(503, 'agent.too_many_streams', 'too many open event streams')
    this.#open++
    let released = false
    return () => {
      if (!released) this.#open--
      released = true
    }
  }

  /** Shutting down: open streams end after their current poll, new ones are refused. */
  shutdown(): void {
    this.#closing = true
  }

  get closing(): boolean {
    return this.#closing
  }

  now(): number {
    return this.#clock.now()
  }
}
