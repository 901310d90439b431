#!/usr/bin/env node
import { createInterface } from 'node:readline/promises'
import { runCli } from './cli.js'
import type { Io } from './io.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve())
  process.once('SIGTERM', () => resolve())
})

const io: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  readStdin,
  env: process.env,
  stopSignal,
  confirm: process.stdin.isTTY
    ? async (q) => {
        const rl = createInterface({ input: process.stdin, output: process.stdout })
        try {
          return /^y(es)?$/i.test((await rl.question(`${q} [y/N] `)).trim())
        } finally {
          rl.close()
        }
      }
    : undefined,
}

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    process.stderr.write(`bonafide: ${(e as Error)?.message ?? e}\n`)
    process.exitCode = 1
  },
)
