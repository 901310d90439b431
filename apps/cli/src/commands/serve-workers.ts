import cluster, { type Worker } from 'node:cluster'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { type AgentConfig, createAgentContext } from '@bonafide/agent'
import { type Io, UsageError } from '../io.js'

/** `--workers N | auto`: how many processes serve (auto = the core count). */
export function parseWorkers(v: string | undefined): number {
  if (v === undefined) return 1
  if (v === 'auto') return availableParallelism()
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError('--workers must be 1..256 or auto')
  return Number(v)
}

async function freePort(host: string): Promise<number> {
  const s = createServer()
  await new Promise<void>((r, j) => s.listen(0, host, r).once('error', j))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

/**
 * The primary of `serve --workers N` (PostgreSQL only): prepare the database once (migrations, keys, defaults,
 * the first admin key), then fork N workers that share the port (node:cluster), restart one that dies, and on
 * SIGTERM stop them gracefully. Workers run this same command; `cluster.isWorker` sends them to the single path.
 */
export async function runPrimary(
  config: AgentConfig,
  n: number,
  io: Io,
  env: Record<string, string | undefined>,
): Promise<number> {
  const port = config.port === 0 ? await freePort(config.host) : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = config.publicUrl ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  const ctx = await createAgentContext({ ...config, port }, url)
  const firstAdminKey = ctx.firstAdminKey
  await ctx.close()
  let stopping = false
  const workerEnv = { ...env, PORT: String(port), BONAFIDE_CLUSTER_PORT: String(port), BONAFIDE_PUBLIC_URL: url }
  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const w = cluster.fork(workerEnv)
      w.once('message', (m: { ready?: boolean }) => (m?.ready ? resolve(w) : reject(new Error('worker failed'))))
      w.once('exit', (code) => reject(new Error(`worker exited with ${code}`)))
    })
  const workers = await Promise.all(Array.from({ length: n }, fork))
  cluster.on('exit', (w, code) => {
    if (stopping) return
    io.err(`bonafide serve: worker ${w.process.pid} exited (${code}); starting another`)
    void fork().catch((e) => io.err(`bonafide serve: ${(e as Error).message}`))
  })
  io.out(`Bonafide agent listening on ${url}  (PostgreSQL, ${n} workers)`)
  io.out(`  API docs         ${url}/docs   (OpenAPI: ${url}/openapi.json)`)
  io.out(`  Issuer metadata  ${url}/.well-known/openid-credential-issuer`)
  io.out(`  Health           ${url}/health/ready`)
  if (firstAdminKey) io.out(`\nAdmin API key (shown once, keep it): ${firstAdminKey}`)
  await (io.stopSignal ?? new Promise<void>(() => undefined))
  stopping = true
  const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w)
  await Promise.all(
    (all.length ? all : workers).map(
      (w) =>
        new Promise<void>((r) => {
          if (w.isDead()) return r()
          w.once('exit', () => r())
          w.process.kill('SIGTERM')
        }),
    ),
  )
  return 0
}
