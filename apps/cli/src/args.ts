import { readFile } from 'node:fs/promises'
import { parseJson } from '@bonafide/core'
import { type Io, UsageError } from './io.js'

/** A positional TOKEN argument, or standard input for `-` or when absent. */
export async function readTokenArg(arg: string | undefined, io: Io): Promise<string> {
  const text = arg === undefined || arg === '-' ? await io.readStdin() : arg
  const t = text.trim()
  if (!t) throw new UsageError('no input given')
  return t
}

/** Read and parse a JSON file named by an option. */
export async function readJsonFile(path: string | undefined, what: string): Promise<unknown> {
  if (!path) throw new UsageError(`${what} is required`)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new UsageError(`cannot read ${what} file ${path}`)
  }
  return parseJson(text, { maxLength: 4 << 20 })
}

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    throw new UsageError(`cannot read ${what} file ${path}`)
  }
}

/** Comma-separated list option. */
export function listOption(v: string | undefined): string[] {
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : []
}

export function intOption(v: string | undefined, name: string, def?: number): number | undefined {
  if (v === undefined) return def
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a non-negative integer`)
  return Number(v)
}
