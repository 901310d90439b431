import { Buffer } from 'node:buffer'
import { jsonDepth } from '@bonafide/core'
import type { Context } from 'hono'
import { ApiProblem } from '../services/problem.js'

/**
 * Read a JSON request body: `application/json` only, at most `max` bytes (counted while streaming,
 * so a lying Content-Length cannot pass), nesting at most 64 deep, an object at the top.
 */
export async function readJson(c: Context, max: number): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') throw new ApiProblem(415, 'agent.unsupported_media_type', 'send application/json')
  const declared = Number(c.req.header('content-length') ?? '0')
  if (declared > max) throw new ApiProblem(413, 'agent.body_too_large', `the body exceeds ${max} bytes`)
  const body = c.req.raw.body
  if (!body) throw new ApiProblem(400, 'agent.body_malformed', 'a JSON body is required')
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new ApiProblem(413, 'agent.body_too_large', `the body exceeds ${max} bytes`)
    }
    chunks.push(value)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)))
  } catch {
    throw new ApiProblem(400, 'agent.body_malformed', 'the body is not valid UTF-8 JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ApiProblem(400, 'agent.body_malformed', 'the body must be a JSON object')
  if (jsonDepth(parsed, 64) > 64) throw new ApiProblem(400, 'agent.body_malformed', 'the body is nested too deeply')
  return parsed as Record<string, unknown>
}

/** A raw body, or null when it is larger than `max` (counted while reading, not trusted from Content-Length). */
export async function readLimited(req: Request, max: number): Promise<Uint8Array | null> {
  if (Number(req.headers.get('content-length') ?? 0) > max) return null
  if (!req.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let n = 0
  for await (const c of req.body as unknown as AsyncIterable<Uint8Array>) {
    n += c.length
    if (n > max) return null
    chunks.push(c)
  }
  return Buffer.concat(chunks)
}
