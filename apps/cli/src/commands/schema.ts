import { parseArgs } from 'node:util'
import { isVcError, parseJson } from '@bonafide/core'
import { classifySchemaChange, parseSchemaDocument, type SchemaReport, SchemaValidator } from '@bonafide/schema'
import { readTextFile } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'

const HELP = `bonafide schema validate --schema FILE [--ref FILE …] [--json] CLAIMS|-
bonafide schema classify OLD_SCHEMA NEW_SCHEMA [--json]

validate checks a JSON claims document (a file, or - for standard input) against a JSON Schema 2020-12
document and lists every failed field by JSON Pointer. Remote $refs are refused; --ref loads a schema
(with an absolute $id) that the schema may reference. Exit 0 valid, 1 invalid, 2 bad usage or a bad schema.
classify prints how a new schema version relates to the old one (none, patch, additive, breaking) and why.`

const MAX_INPUT = 4 << 20

function parseJsonText(text: string, what: string): unknown {
  try {
    return parseJson(text, { maxLength: MAX_INPUT })
  } catch {
    throw new UsageError(`${what} is not valid JSON (or exceeds ${MAX_INPUT} characters)`)
  }
}

/** A schema document error is bad input to the command (exit 2), not an invalid claims result. */
function asUsage<T>(what: string, f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (isVcError(e) && e.code !== 'schema.claims_invalid') throw new UsageError(`${what}: ${e.code}: ${e.message}`)
    throw e
  }
}

async function readSchema(path: string, what: string): Promise<unknown> {
  const doc = parseJsonText(await readTextFile(path, what), `${what} file ${path}`)
  return asUsage(`${what} file ${path}`, () => parseSchemaDocument(doc))
}

/** The readable report: one line per failed field. */
export function formatSchemaReport(r: SchemaReport): string {
  if (r.valid) return 'valid: the claims match the schema'
  const width = Math.min(40, Math.max(...r.errors.map((e) => (e.path || '/').length)))
  const lines = r.errors.map((e) => `  ${(e.path || '/').padEnd(width)}  ${e.keyword}: ${e.message}`)
  return [`invalid: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`, ...lines].join('\n')
}

async function validateCmd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { schema: { type: 'string' }, ref: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  })
  if (!values.schema) throw new UsageError('--schema FILE is required')
  if (positionals.length !== 1) throw new UsageError('give exactly one CLAIMS file, or - for standard input')
  const source = positionals[0] as string
  const schema = await readSchema(values.schema, '--schema')
  const refs = await Promise.all((values.ref ?? []).map((p) => readSchema(p, '--ref')))
  const text = source === '-' ? await io.readStdin() : await readTextFile(source, 'CLAIMS')
  const claims = parseJsonText(text, source === '-' ? 'standard input' : `CLAIMS file ${source}`)
  const report = asUsage('schema', () => new SchemaValidator({ schemas: refs }).validate(schema, claims))
  io.out(values.json ? JSON.stringify(report) : formatSchemaReport(report))
  return report.valid ? 0 : 1
}

async function classifyCmd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  })
  if (positionals.length !== 2) throw new UsageError('give OLD_SCHEMA and NEW_SCHEMA files')
  const [a, b] = await Promise.all(positionals.map((p, i) => readSchema(p, i === 0 ? 'OLD_SCHEMA' : 'NEW_SCHEMA')))
  const change = classifySchemaChange(a, b)
  io.out(values.json ? JSON.stringify(change) : [change.kind, ...change.reasons.map((r) => `  ${r}`)].join('\n'))
  return 0
}

export const schemaCommand: Command = withSubcommands(
  'schema',
  'validate claims against JSON Schemas, compare schema versions',
  HELP,
  {
    validate: validateCmd,
    classify: classifyCmd,
  },
)
