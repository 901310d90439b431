import cluster from 'node:cluster'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, startAgent } from '@bonafide/agent'
import type { Command, Io } from '../io.js'
import { parseWorkers, runPrimary } from './serve-workers.js'

const HELP = `bonafide serve [--port N] [--host H] [--data DIR] [--public-url URL] [--database-url postgres://…] [--workers N|auto]
  Starts the Bonafide agent: REST API under /v1 (API keys), OpenID4VCI issuer, schema registry, keys,
  revocation and published status lists, on an embedded PostgreSQL in DIR (default ./.bonafide) or on
  PostgreSQL with DATABASE_URL. Flags override the environment (PORT, HOST, BONAFIDE_DATA,
  BONAFIDE_PUBLIC_URL, DATABASE_URL; BONAFIDE_ADMIN_KEY, BONAFIDE_KEK and the rest: docs/agent.md).
  --workers N (PostgreSQL only): N processes share the port (auto = one per core); a worker that dies is replaced.
  Prints the URLs, and on first run an admin API key (shown once). A bad setting exits 2. Runs until stopped
  (SIGTERM: requests in flight finish, then it exits).`

/** `bonafide serve` (and `npm start`): the agent in this process until SIGINT/SIGTERM. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the agent (API, OpenID4VCI issuer, registry, revocation) on an embedded database',
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'public-url': { type: 'string' },
        'database-url': { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean' },
      },
    })
    if (values.help) {
      io.out(HELP)
      return 0
    }
    const env: Record<string, string | undefined> = { ...io.env }
    if (values.port !== undefined) env.PORT = values.port
    if (values.host !== undefined) env.HOST = values.host
    if (values.data !== undefined) env.BONAFIDE_DATA = values.data
    if (values['public-url'] !== undefined) env.BONAFIDE_PUBLIC_URL = values['public-url']
    if (values['database-url'] !== undefined) env.DATABASE_URL = values['database-url']
    // a worker listens on the port its primary chose, whatever the flags say
    if (cluster.isWorker && io.env.BONAFIDE_CLUSTER_PORT) env.PORT = io.env.BONAFIDE_CLUSTER_PORT
    const workers = parseWorkers(values.workers)
    let agent: Awaited<ReturnType<typeof startAgent>>
    try {
      const config = loadConfig(env)
      if (workers > 1 && !cluster.isWorker) {
        if (!config.databaseUrl) {
          io.err(
            'bonafide serve: --workers above 1 needs PostgreSQL (DATABASE_URL): the embedded database belongs to one process',
          )
          return 2
        }
        return await runPrimary(config, workers, io, env)
      }
      agent = await startAgent(config)
      if (cluster.isWorker) {
        process.send?.({ ready: true })
        await (io.stopSignal ?? new Promise<void>(() => undefined))
        await agent.close()
        cluster.worker?.disconnect() // the IPC channel would keep the process alive
        return 0
      }
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err(`bonafide serve: ${e.message}`)
        return 2
      }
      throw e
    }
    const u = agent.url
    io.out(
      `Bonafide agent listening on ${u}  (${agent.ctx.database.kind === 'pglite' ? `embedded database in ${agent.ctx.config.dataDir}` : 'PostgreSQL'})`,
    )
    io.out(`  Console          ${u}/console   (issuer, verifier, web wallet, batch playground)`)
    io.out(`  API docs         ${u}/docs   (OpenAPI: ${u}/openapi.json)`)
    io.out(`  Issuer metadata  ${u}/.well-known/openid-credential-issuer`)
    io.out(`  Trust anchor     ${u}/trust-anchor.pem`)
    io.out(`  Health           ${u}/health/ready`)
    if (agent.ctx.firstAdminKey)
      io.out(
        `\nAdmin API key (shown once, keep it): ${agent.ctx.firstAdminKey}\n  export BONAFIDE_AGENT=${u} BONAFIDE_API_KEY=${agent.ctx.firstAdminKey}`,
      )
    await (io.stopSignal ?? new Promise<void>(() => undefined))
    await agent.close()
    return 0
  },
}
