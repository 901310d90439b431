import { runCli } from '../src/cli.js'
import type { Io } from '../src/io.js'

export interface CliResult {
  code: number
  out: string
  err: string
}

/** Run the CLI in-process with captured output and an optional stdin. */
export async function cli(argv: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let out = ''
  let err = ''
  const io: Io = {
    out: (t) => {
      out += t.endsWith('\n') ? t : `${t}\n`
    },
    err: (t) => {
      err += t.endsWith('\n') ? t : `${t}\n`
    },
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
  }
  const code = await runCli(argv, io)
  return { code, out, err }
}
