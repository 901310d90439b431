export { runCli } from './cli.js'
export type { Command, Io } from './io.js'
