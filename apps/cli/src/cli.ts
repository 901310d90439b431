import { isVcError } from '@bonafide/core'
import { commands } from './commands/index.js'
import { type Io, UsageError } from './io.js'
import { trustHint } from './trust-hints.js'

function usage(): string {
  const lines = ['Usage: bonafide <command> [options]', '', 'Commands:']
  for (const c of commands) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`)
  lines.push('', 'Run `bonafide <command> --help` for the options of one command.')
  return lines.join('\n')
}

/** Run the CLI in-process. Errors become one line on stderr, never a stack trace. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage())
    return name ? 0 : 2
  }
  const cmd = commands.find((c) => c.name === name)
  if (!cmd) {
    io.err(`bonafide: unknown command '${name}'\n\n${usage()}`)
    return 2
  }
  try {
    return await cmd.run(rest, io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`bonafide ${name}: ${e.message}`)
      return 2
    }
    if (isVcError(e)) {
      io.err(`bonafide ${name}: ${e.code}: ${e.message}`)
      const cause = (e.details as { code?: unknown } | undefined)?.code
      const hint = trustHint(name, typeof cause === 'string' ? cause : e.code)
      if (hint) io.err(`hint: ${hint}`)
      return 1
    }
    const code = (e as { code?: string })?.code
    if (
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      io.err(`bonafide ${name}: ${(e as Error).message}`)
      return 2
    }
    io.err(`bonafide ${name}: ${(e as Error)?.message ?? String(e)}`)
    if (io.env.BONAFIDE_DEBUG) io.err(String((e as Error)?.stack))
    return 1
  }
}
