import { parseArgs } from 'node:util'
import type { Io } from '../io.js'
import { UsageError } from '../io.js'

/** A problem+json answer from the agent (RFC 9457). */
export class AgentProblem extends Error {
  override name = 'AgentProblem'
  readonly problem: {
    status: number
    code: string
    detail?: string
    errors?: { path: string; message: string }[]
    hint?: string
  }
  constructor(problem: AgentProblem['problem']) {
    super(`${problem.code}: ${problem.detail ?? 'failed'}`)
    this.problem = problem
  }
}

export interface AgentClient {
  readonly json: boolean
  // biome-ignore lint/suspicious/noExplicitAny: answers are the agent's JSON, read field by field by each command
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any>
}

const MAX_ANSWER = 4 << 20
const COMMON = {
  agent: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

/** Parse a command's options plus the admin-client ones (--agent, --api-key, --json). */
export function parseAdminArgs(
  args: string[],
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>,
): { values: AdminValues; positionals: string[] } {
  const r = parseArgs({ args, strict: true, allowPositionals: true, options: { ...COMMON, ...options } })
  return { values: r.values as AdminValues, positionals: r.positionals }
}

// biome-ignore lint/suspicious/noExplicitAny: option values are typed by the option table each command passes
export type AdminValues = Record<string, any> & { agent?: string; 'api-key'?: string; json?: boolean }

/** An ID from the user, checked before it goes into a path. */
export function pathId(v: string | undefined, what: string): string {
  if (!v || v.length > 200 || [...v].some((ch) => (ch.codePointAt(0) as number) < 0x20 || ch === '\x7f'))
    throw new UsageError(`${what} is required (1..200 characters)`)
  return encodeURIComponent(v)
}

/** The agent over HTTP: base URL and key from flags or BONAFIDE_AGENT / BONAFIDE_API_KEY; 30 s per call. */
export function agentClient(
  values: { agent?: string; 'api-key'?: string; json?: boolean },
  io: Io,
  fetchImpl: typeof fetch = fetch,
): AgentClient {
  const base = values.agent ?? io.env.BONAFIDE_AGENT
  const key = values['api-key'] ?? io.env.BONAFIDE_API_KEY
  if (!base) throw new UsageError('--agent URL (or BONAFIDE_AGENT) is required')
  if (!key) throw new UsageError('--api-key KEY (or BONAFIDE_API_KEY) is required')
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw new UsageError('--agent must be a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--agent must be an http(s) URL')
  const origin = base.replace(/\/$/, '')
  return {
    json: values.json === true,
    async call(method, path, body) {
      const send = () =>
        fetchImpl(`${origin}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(30_000),
          redirect: 'error',
        })
      // a GET is safe to send again when a reused connection was reset under it
      const r = await send().catch((e: unknown) => {
        if (method !== 'GET') throw e
        return send()
      })
      const text = await r.text()
      if (text.length > MAX_ANSWER) throw new Error('the agent answered too much')
      const parsed = text ? (JSON.parse(text) as unknown) : undefined
      if (!r.ok) {
        const p = parsed as AgentProblem['problem'] | undefined
        throw new AgentProblem(typeof p?.code === 'string' ? p : { status: r.status, code: `http_${r.status}` })
      }
      return parsed
    },
  }
}

/** Run an admin command: problems print one line (or the problem JSON with --json) and exit 1. */
export async function adminRun(io: Io, json: boolean, f: () => Promise<number>): Promise<number> {
  try {
    return await f()
  } catch (e) {
    if (!(e instanceof AgentProblem)) throw e
    if (json) io.out(JSON.stringify(e.problem))
    else {
      io.err(e.message)
      for (const x of e.problem.errors ?? []) io.err(`  ${x.path}: ${x.message}`)
      if (e.problem.hint) io.err(`hint: ${e.problem.hint}`)
    }
    return 1
  }
}
