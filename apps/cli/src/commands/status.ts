import { Buffer } from 'node:buffer'
import { parseArgs } from 'node:util'
import { b64uDecode, createSafeFetcher, type Fetcher, hexDecode, isJsonObject, utf8Decode } from '@bonafide/core'
import { decodeJwsUnverified } from '@bonafide/jose'
import {
  BitstringStatusList,
  createStatusListChecker,
  type StatusListTrust,
  verifyBitstringStatusListCredential,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '@bonafide/status-list'
import { intOption, readTextFile, readTokenArg } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { readPublicKeys } from '../keyfile.js'
import { withSubcommands } from '../subcommands.js'

const HELP = `bonafide status decode TOKEN|URL|- [--index N] [--json]
bonafide status check CREDENTIAL|- (--list-key FILE | --trust-anchor PEM) [--json]

decode reads a Status List Token (JWT, or CWT as hex or base64url) or a Bitstring Status List credential,
without verifying it, and prints its metadata and a summary; --index N prints one entry's status.
check reads a credential's status reference (SD-JWT VC "status", W3C "credentialStatus"), fetches the list,
verifies it with the given key or trust anchor, and prints the status.
Set BONAFIDE_ALLOW_INSECURE_FETCH=1 to allow http:// and loopback URLs (local testing only).`

const NAMES: Record<number, string> = { 0: 'VALID', 1: 'INVALID', 2: 'SUSPENDED' }

function fetcherFor(io: Io): Fetcher {
  const insecure = io.env.BONAFIDE_ALLOW_INSECURE_FETCH === '1'
  return createSafeFetcher(insecure ? { allowHttp: true, allowLoopback: true } : {})
}

interface Decoded {
  format: string
  meta: Record<string, unknown>
  bits: number
  size: number
  get(i: number): number
  counts(): Map<number, number>
}

function fromBitstring(token: string): Decoded {
  const v = verifyBitstringStatusListCredential(token, {})
  const list = BitstringStatusList.decode(v.encodedList, 1, { allowShort: true })
  return {
    format: 'BitstringStatusListCredential (vc+jwt)',
    meta: { id: v.id, issuer: v.issuer, statusPurpose: v.purposes },
    bits: 1,
    size: list.size,
    get: (i) => list.get(i),
    counts: () => {
      const m = new Map<number, number>()
      let ones = 0
      for (const b of list.bytes) for (let k = 0; k < 8; k++) ones += (b >> k) & 1
      m.set(0, list.size - ones)
      if (ones) m.set(1, ones)
      return m
    },
  }
}

/** Decode without verifying (no trust given): the CLI's inspection view. */
export function decodeStatusInput(text: string): Decoded {
  const t = text.trim()
  const wide = { clock: { now: () => 0 }, skewSeconds: Number.MAX_SAFE_INTEGER }
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) {
    const { header, payload } = decodeJwsUnverified(t)
    if (header.typ === 'statuslist+jwt') {
      const v = verifyStatusListJwt(t, wide)
      return {
        format: 'Token Status List (JWT)',
        meta: { sub: v.sub, iat: v.iat, exp: v.exp, ttl: v.ttl },
        bits: v.list.bits,
        size: v.list.size,
        get: (i) => v.list.get(i),
        counts: () => v.list.counts(),
      }
    }
    if (header.typ === 'vc+jwt' || isJsonObject(payload.vc)) return fromBitstring(t)
    throw new UsageError('not a status list token or status list credential')
  }
  const bytes = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? hexDecode(t) : b64uDecode(t)
  const v = verifyStatusListCwt(bytes, wide)
  return {
    format: 'Token Status List (CWT)',
    meta: { sub: v.sub, iat: v.iat, exp: v.exp, ttl: v.ttl },
    bits: v.list.bits,
    size: v.list.size,
    get: (i) => v.list.get(i),
    counts: () => v.list.counts(),
  }
}

async function decodeCmd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { index: { type: 'string' }, json: { type: 'boolean' } },
  })
  let input = await readTokenArg(positionals[0], io)
  if (/^https?:\/\//.test(input)) {
    const res = await fetcherFor(io)(input, {
      headers: { accept: 'application/statuslist+jwt, application/statuslist+cwt, application/vc+jwt' },
      maxBytes: 8 << 20,
    })
    if (res.status !== 200) throw new UsageError(`the URL answered HTTP ${res.status}`)
    const ct = res.headers['content-type'] ?? ''
    input = ct.startsWith('application/statuslist+cwt') ? Buffer.from(res.body).toString('hex') : utf8Decode(res.body)
  }
  const d = decodeStatusInput(input)
  const index = intOption(values.index, '--index')
  if (index !== undefined) {
    const status = d.get(index)
    io.out(
      values.json ? JSON.stringify({ index, status }) : `index ${index}: ${status} (${NAMES[status] ?? 'application-specific'})`,
    )
    return 0
  }
  const counts = Object.fromEntries([...d.counts().entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]))
  if (values.json) {
    io.out(JSON.stringify({ bits: d.bits, size: d.size, counts }))
    return 0
  }
  io.out(`${d.format} (not verified)`)
  for (const [k, v] of Object.entries(d.meta))
    if (v !== undefined)
      io.out(
        `  ${k}: ${typeof v === 'number' && (k === 'iat' || k === 'exp') ? `${v} (${new Date(v * 1000).toISOString()})` : JSON.stringify(v)}`,
      )
  io.out(`  bits: ${d.bits}, size: ${d.size} entries`)
  for (const [k, v] of Object.entries(counts)) io.out(`  status ${k} (${NAMES[Number(k)] ?? 'application-specific'}): ${v}`)
  return 0
}

/** The status reference of a credential: SD-JWT VC / JWT `status`, or W3C `credentialStatus`. */
function statusReferenceOf(credential: string): unknown {
  const jwt = credential.split('~')[0] as string
  const { payload } = decodeJwsUnverified(jwt)
  const vc = isJsonObject(payload.vc) ? payload.vc : payload
  const ref = payload.status ?? vc.credentialStatus
  if (ref === undefined) throw new UsageError('the credential carries no status reference')
  return ref
}

async function checkCmd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'list-key': { type: 'string' }, 'trust-anchor': { type: 'string', multiple: true }, json: { type: 'boolean' } },
  })
  if (!values['list-key'] && !values['trust-anchor'])
    throw new UsageError('--list-key or --trust-anchor is required to verify the list')
  const credential = await readTokenArg(positionals[0], io)
  const trust: StatusListTrust = values['list-key']
    ? { keys: await readPublicKeys(values['list-key'], '--list-key') }
    : { trustAnchors: await Promise.all((values['trust-anchor'] ?? []).map((p) => readTextFile(p, '--trust-anchor'))) }
  const checker = createStatusListChecker({ fetcher: fetcherFor(io), trust })
  const r = await checker.check(statusReferenceOf(credential), { now: Date.now() })
  if (values.json) io.out(JSON.stringify(r))
  else
    io.out(
      `${r.state}${r.value !== undefined ? ` (value ${r.value})` : ''}${r.reason ? ` (${r.reason})` : ''} — ${r.uri} index ${r.index}`,
    )
  return r.state === 'valid' ? 0 : 1
}

export const status: Command = withSubcommands('status', 'decode status lists and check a credential’s status', HELP, {
  decode: decodeCmd,
  check: checkCmd,
})
