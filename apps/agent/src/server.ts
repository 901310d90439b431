import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { AgentConfig } from './config/env.js'
import { type AgentContext, type AgentContextOptions, createAgentContext } from './context.js'
import { createApp } from './http/app.js'

export interface RunningAgent {
  readonly url: string
  readonly ctx: AgentContext
  /**
   * Graceful stop (SIGTERM): stop accepting connections, end event streams, let in-flight requests finish (up to
   * `graceMs`, then connections are cut), flush background work, close the database.
   */
  close(o?: { graceMs?: number }): Promise<void>
}

/**
 * Listen first (port 0 picks one), then build the context with the URL wallets will use, then serve.
 * Requests that arrive before the context is ready get 503.
 */
export async function startAgent(config: AgentConfig, o: AgentContextOptions = {}): Promise<RunningAgent> {
  let handler: (req: Request, env?: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503, headers: { 'retry-after': '1' } })
  const server = serve({ fetch: (req, env) => handler(req, env), hostname: config.host, port: config.port })
  // Keep idle connections longer than clients and load balancers do (undici 4 s, common LBs 60 s), so the server
  // never closes a socket at the moment a client reuses it (a reset the client cannot tell from a failure).
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number }
  http.keepAliveTimeout = 65_000
  http.headersTimeout = 66_000
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = config.publicUrl ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  let ctx: AgentContext
  try {
    ctx = await createAgentContext(config, url, o)
  } catch (e) {
    await new Promise((r) => server.close(r))
    throw e
  }
  // what a crash left half done: sessions whose wallet can no longer finish are marked failed at once
  await ctx.offers.sweepAbandoned().catch(() => undefined)
  const app = createApp(ctx)
  handler = (req, env) => app.fetch(req, env)
  const sweep = setInterval(() => {
    void ctx.runtime.store.sweep().catch(() => undefined)
    void ctx.verification.sweep().catch(() => undefined)
    void ctx.offers.sweepAbandoned().catch(() => undefined)
  }, 60_000)
  sweep.unref()
  ctx.webhooks.start()
  return {
    url,
    ctx,
    async close(c = {}) {
      clearInterval(sweep)
      ctx.events.shutdown()
      const s = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      s.closeIdleConnections?.()
      const cut = setTimeout(() => s.closeAllConnections?.(), c.graceMs ?? 10_000)
      const idle = setInterval(() => s.closeIdleConnections?.(), 100) // keep-alive sockets freed as their requests end
      await closed
      clearTimeout(cut)
      clearInterval(idle)
      // deliveries due now go out before the database closes; later retries wait for the next start
      await ctx.webhooks.stop()
      let late: ReturnType<typeof setTimeout> | undefined
      await Promise.race([ctx.webhooks.flush(), new Promise((r) => (late = setTimeout(r, c.graceMs ?? 10_000)))])
      clearTimeout(late)
      await ctx.close()
    },
  }
}
