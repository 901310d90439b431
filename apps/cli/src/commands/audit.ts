import { stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { type AuditOptions, type AuditReport, auditBatch, type CredentialFormat } from '@bonafide/audit'
import { isVcError } from '@bonafide/core'
import { intOption, readTextFile } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'

const HELP = `bonafide audit CREDENTIAL… [--json] [--format sd-jwt-vc|jwt-vc|mdoc] [--granularity SECONDS]
                [--list-size URI=N]… [--small-list N]

Audits the copies of one batch (SD-JWT VC, W3C JWT-VC, or mdoc as base64url IssuerSigned) for what colluding
verifiers could use to link them: exact timestamps shared by every copy, one holder or device key, repeated
salts or digests, equal or adjacent status indices, small status lists, identifiers (jti, sub, id) in every copy.
Signatures are not checked.
Each CREDENTIAL is a file holding one credential or several, one per line; - reads them from standard input.
--granularity: shared timestamps on a multiple of this many seconds count as rounded (default 3600).
--list-size URI=N: a status list's size, so that small lists (under --small-list, default 131072) are reported.
Prints the verdict and one line per finding (severity, field, evidence); --json prints the report.
Exit 0 when nothing links the copies, 1 when something does, 2 on bad usage or a malformed credential.`

/** Files bigger than this are refused before reading (1000 copies of a few KiB each fit easily). */
const MAX_FILE_BYTES = 64 << 20
const FORMATS = new Set<string>(['sd-jwt-vc', 'jwt-vc', 'mdoc'])

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

async function readCopies(sources: readonly string[], io: Io): Promise<string[]> {
  const copies: string[] = []
  for (const s of sources) {
    if (s === '-') {
      copies.push(...lines(await io.readStdin()))
      continue
    }
    const size = await stat(s).then(
      (st) => (st.isFile() ? st.size : -1),
      () => -1,
    )
    if (size < 0) throw new UsageError(`cannot read credential file ${s}`)
    if (size > MAX_FILE_BYTES) throw new UsageError(`credential file ${s} is larger than 64 MiB`)
    copies.push(...lines(await readTextFile(s, 'credential')))
  }
  if (copies.length === 0) throw new UsageError('no credentials given')
  return copies
}

function listSizes(specs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null)
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=')
    const n = eq > 0 ? intOption(spec.slice(eq + 1), '--list-size N') : undefined
    if (n === undefined || n === 0) throw new UsageError('--list-size takes URI=N with N a positive integer')
    out[spec.slice(0, eq)] = n
  }
  return out
}

function options(values: { format?: string; granularity?: string; 'list-size'?: string[]; 'small-list'?: string }): AuditOptions {
  const o: AuditOptions = { statusListSizes: listSizes(values['list-size'] ?? []) }
  if (values.format !== undefined) {
    if (!FORMATS.has(values.format)) throw new UsageError('--format must be sd-jwt-vc, jwt-vc or mdoc')
    o.format = values.format as CredentialFormat
  }
  const g = intOption(values.granularity, '--granularity')
  if (g !== undefined) o.timestampGranularitySeconds = g
  const small = intOption(values['small-list'], '--small-list')
  if (small !== undefined) o.smallStatusListThreshold = small
  return o
}

function human(r: AuditReport): string {
  const head = `${r.verdict}: ${r.copies} ${r.format} cop${r.copies === 1 ? 'y' : 'ies'}, ${r.findings.length} finding(s)`
  return [head, ...r.findings.map((f) => `${f.severity.padEnd(6)} ${f.field}: ${f.evidence}`)].join('\n')
}

export const audit: Command = {
  name: 'audit',
  summary: 'audit the copies of one batch for what could link them (unlinkability)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        format: { type: 'string' },
        granularity: { type: 'string' },
        'list-size': { type: 'string', multiple: true },
        'small-list': { type: 'string' },
        help: { type: 'boolean' },
      },
    })
    if (values.help) {
      io.out(HELP)
      return 0
    }
    if (positionals.length === 0) {
      io.err(HELP)
      return 2
    }
    const o = options(values)
    const copies = await readCopies(positionals, io)
    let report: AuditReport
    try {
      report = auditBatch(copies, o)
    } catch (e) {
      // A malformed or mixed batch is bad input, not a linkable one: exit 2 with the typed code.
      if (!isVcError(e)) throw e
      io.err(`bonafide audit: ${e.code}: ${e.message}`)
      return 2
    }
    io.out(values.json ? JSON.stringify(report) : human(report))
    return report.verdict === 'linkable' ? 1 : 0
  },
}
