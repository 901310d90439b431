import type http from 'node:http'
import { isVcError } from '@bonafide/core'
import { type Command, type Io, UsageError } from './io.js'

type Handler = (args: string[], io: Io) => Promise<number>

/** A command made of subcommands (`bonafide sd-jwt issue …`): help with no subcommand (exit 2) or --help (exit 0). */
export function withSubcommands(
  name: string,
  summary: string,
  help: string,
  handlers: Readonly<Record<string, Handler>>,
): Command {
  return {
    name,
    summary,
    async run(args, io) {
      const [sub, ...rest] = args
      if (!sub) {
        io.out(help)
        return 2
      }
      if (sub === '--help' || sub === 'help' || rest.includes('--help')) {
        io.out(help)
        return 0
      }
      const h = Object.hasOwn(handlers, sub) ? handlers[sub] : undefined
      if (!h) throw new UsageError(`unknown subcommand '${sub}' (${Object.keys(handlers).join(', ')})`)
      return h(rest, io)
    },
  }
}

/** Print a verification report: `{"valid":false,"error":{…}}` for typed errors (exit 1); anything else propagates. */
export function invalidReport(e: unknown, io: Io): number {
  if (!isVcError(e)) throw e
  io.out(JSON.stringify({ valid: false, error: { code: e.code, message: e.message } }))
  return 1
}

/** Keep a demo server running until the process is asked to stop, then close it. */
export async function serveUntilStopped(server: http.Server, io: Io): Promise<number> {
  await (io.stopSignal ?? new Promise<void>(() => undefined))
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  return 0
}
