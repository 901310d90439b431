/** What a command may touch: injected so commands run in-process in tests. */
export interface Io {
  out(text: string): void
  err(text: string): void
  /** Read all of standard input (for `-` arguments). */
  readStdin(): Promise<string>
  env: Readonly<Record<string, string | undefined>>
  /** Ask a yes/no question on a terminal; undefined when there is no terminal. */
  confirm?(question: string): Promise<boolean>
  /** Resolves when the process is asked to stop (long-running demos). */
  stopSignal?: Promise<void>
}

export interface Command {
  readonly name: string
  readonly summary: string
  /** Returns the exit code: 0 ok/valid, 1 invalid or failed, 2 bad usage. */
  run(args: string[], io: Io): Promise<number>
}

/** Thrown for bad usage: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
