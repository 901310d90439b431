import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createSafeFetcher, type Fetcher, isJsonObject, isVcError, type JsonValue, parseJson, utf8Decode } from '@bonafide/core'
import { FileKeyStore, writeFileAtomic } from '@bonafide/keys'
import type { PresentationPlan } from '@bonafide/openid4vp'
import {
  displayClaims,
  FileWalletStore,
  isPexPlan,
  jwtVcJsonWalletFormat,
  msoMdocWalletFormat,
  type PoolSummary,
  sdJwtVcWalletFormat,
  Wallet,
} from '@bonafide/wallet'
import { type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'

const HELP = `bonafide wallet <command> [--wallet DIR] [--local] [--json]
  A terminal holder wallet: pools of one-time-use credentials received in batches.
  Data lives in DIR (--wallet or BONAFIDE_WALLET); holder keys are encrypted with
  BONAFIDE_WALLET_PASSPHRASE. --local allows http:// on 127.0.0.1 (to try the demos).

  wallet receive OFFER_URI [--tx-code CODE] [--count N] [--dpop] [--trust-anchor PEM|URL]…
      resolve a credential offer, show the issuer and what it offers, receive a batch per offered credential
      (--dpop binds the tokens to a key kept with the pools, RFC 9449)
  wallet list                    pools: type, issuer, claims, validity, status, unused copies left
  wallet present REQUEST_URI [--yes] [--trust-anchor PEM|URL]…
      show who asks for what, ask for consent (or --yes), answer with unused copies, print the outcome
  wallet log                     the presentation log (no credentials in it)
  --trust-anchor is remembered: issuer roots on receive, verifier roots on present.`

const COMMON = {
  wallet: { type: 'string' },
  local: { type: 'boolean' },
  json: { type: 'boolean' },
  'trust-anchor': { type: 'string', multiple: true },
} as const

interface WalletConfig {
  issuerTrustAnchors: string[]
  verifierTrustAnchors: string[]
}

function walletDir(v: { wallet?: string | undefined }, io: Io): string {
  const dir = v.wallet ?? io.env.BONAFIDE_WALLET
  if (!dir) throw new UsageError('give the wallet directory with --wallet DIR or BONAFIDE_WALLET')
  return dir
}

/** Loopback http only with --local; everything else https to public addresses. */
function fetcherFor(local: boolean | undefined): Fetcher {
  const strict = createSafeFetcher({ maxBytes: 4 << 20 })
  if (!local) return strict
  const loopback = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })
  return (url, init) => {
    const host = new URL(url).hostname
    return ['127.0.0.1', 'localhost', '[::1]'].includes(host) ? loopback(url, init) : strict(url, init)
  }
}

/** The wallet's trust settings; a missing file is a new wallet, a broken one is an error (never silently less trust). */
async function readConfig(dir: string): Promise<WalletConfig> {
  const file = join(dir, 'config.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { issuerTrustAnchors: [], verifierTrustAnchors: [] }
    throw new UsageError(`cannot read ${file}`)
  }
  let v: unknown
  try {
    v = parseJson(text, { maxLength: 1 << 20 })
  } catch {
    v = undefined
  }
  const list = (x: unknown) => (Array.isArray(x) && x.every((s) => typeof s === 'string') ? (x as string[]) : undefined)
  const issuer = isJsonObject(v) ? list(v.issuerTrustAnchors) : undefined
  const verifier = isJsonObject(v) ? list(v.verifierTrustAnchors) : undefined
  if (!issuer || !verifier) throw new UsageError(`${file} is corrupt: fix or remove it`)
  return { issuerTrustAnchors: issuer, verifierTrustAnchors: verifier }
}

/** A trust anchor from a PEM file or (for the demos) a URL serving one. */
async function loadAnchor(src: string, fetcher: Fetcher): Promise<string> {
  let pem: string
  if (/^https?:\/\//.test(src)) {
    const r = await fetcher(src)
    if (r.status !== 200) throw new UsageError(`cannot fetch trust anchor ${src} (HTTP ${r.status})`)
    pem = utf8Decode(r.body)
  } else {
    pem = await readFile(src, 'utf8').catch(() => {
      throw new UsageError(`cannot read trust anchor file ${src}`)
    })
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${src} is not a PEM certificate`)
  return pem.trim()
}

async function openWallet(
  values: {
    wallet?: string | undefined
    local?: boolean | undefined
    'trust-anchor'?: string[] | undefined
    dpop?: boolean | undefined
  },
  io: Io,
  anchorsFor: keyof WalletConfig,
): Promise<Wallet> {
  const dir = walletDir(values, io)
  const passphrase = io.env.BONAFIDE_WALLET_PASSPHRASE
  if (!passphrase) throw new UsageError('set BONAFIDE_WALLET_PASSPHRASE: the wallet encrypts its holder keys with it')
  const fetcher = fetcherFor(values.local)
  const config = await readConfig(dir)
  const added = await Promise.all((values['trust-anchor'] ?? []).map((a) => loadAnchor(a, fetcher)))
  if (added.length) {
    config[anchorsFor] = [...new Set([...config[anchorsFor], ...added])]
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2))
  }
  const anchors = config.issuerTrustAnchors
  const keyStore = new FileKeyStore(join(dir, 'keys'), { passphrase })
  await keyStore.unlock() // a wrong passphrase stops here, before any key is used or written
  return new Wallet({
    store: new FileWalletStore(dir, { passphrase }),
    keyStore,
    fetcher,
    formats: [
      sdJwtVcWalletFormat({
        issuerKeys: anchors.length
          ? { trustAnchors: anchors, requireIssInSan: false }
          : { metadata: { fetcher, allowHttpIssuer: values.local === true } },
      }),
      msoMdocWalletFormat({ trustAnchors: anchors }),
      // W3C JWT-VCs (jwt_vc_json): x5c chains to the trusted issuer roots, or DID issuers.
      jwtVcJsonWalletFormat({
        issuerKeys: anchors.length ? { trustAnchors: anchors, requireIssuerInSan: false } : { did: true },
      }),
    ],
    verifierTrustAnchors: config.verifierTrustAnchors,
    ...(values.dpop ? { dpop: true } : {}),
  })
}

/** An X.509 subject on one line. */
const oneLine = (subject: string | undefined) => (subject === undefined ? undefined : safe(subject.split('\n').join(', ')))

/** Text from an issuer or verifier, safe for a terminal: control characters (escape sequences) removed. */
function safe(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c >= 0x20 && (c < 0x7f || c > 0x9f)) out += ch
  }
  return out
}

/** A pool for --json output: the refresh token is a secret and never printed. */
function publicSummary(s: PoolSummary) {
  if (!s.pool.source) return s
  const { refreshToken, ...source } = s.pool.source
  return { ...s, pool: { ...s.pool, source: { ...source, hasRefreshToken: refreshToken !== undefined } } }
}

const fmtDate = (ms?: number) => (ms === undefined ? '—' : new Date(ms).toISOString().slice(0, 10))

function fmtValue(v: JsonValue | undefined): string {
  const s = safe(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

function flatClaims(v: JsonValue, prefix = ''): string[] {
  if (isJsonObject(v) && Object.keys(v).length)
    return Object.entries(v).flatMap(([k, x]) => flatClaims(x as JsonValue, prefix ? `${prefix}.${k}` : k))
  return [`${prefix}=${fmtValue(v)}`]
}

function describePool(s: PoolSummary): string[] {
  const p = s.pool
  const c = s.counts
  return [
    `pool ${p.id.slice(0, 8)}  ${p.name ?? p.type}  (${p.format}, ${p.type})`,
    `  issuer   ${p.issuer}`,
    `  valid    ${fmtDate(p.validFrom)} → ${fmtDate(p.validUntil)}`,
    `  copies   ${s.unused} unused (used ${c.used}, revoked ${c.revoked}, suspended ${c.suspended}, expired ${c.expired})${s.low ? '  — running low: refill or a new offer needed' : ''}`,
    `  policy   ${p.policy.maxUses === 1 ? 'one-time use' : `up to ${p.policy.maxUses} uses`}, refill below ${p.policy.minUnused}${p.source?.refreshToken ? ' (refresh token held)' : ''}`,
    `  claims   ${flatClaims(displayClaims(p.format, p.claims)).join(', ')}`,
  ]
}

function describePlan(plan: PresentationPlan): string[] {
  const lines = [`${oneLine(plan.verifier.subject) ?? 'A verifier'} (${safe(plan.verifier.clientId)}) asks for:`]
  if (isPexPlan(plan)) {
    const d = plan.definition
    lines.push(`  (Presentation Exchange: ${safe(d.name ?? d.id)}${d.purpose ? ` — ${safe(d.purpose)}` : ''})`)
  }
  for (const q of plan.queries) {
    const chosen = plan.selection[q.queryId]?.[0]
    const c = q.candidates.find((x) => x.credentialId === chosen) ?? q.candidates[0]
    const label = q.role === 'required' ? 'required' : q.role === 'optional' ? 'optional' : 'alternative'
    if (!c) {
      lines.push(`  [${label}] ${safe(q.queryId)} (${safe(q.format)}): nothing in this wallet answers it`)
      continue
    }
    lines.push(
      `  [${label}] ${safe(q.queryId)}: ${c.record.vct ?? c.record.doctype ?? c.record.types?.join(' ')} from pool ${c.credentialId.slice(0, 8)}${chosen ? '' : ' (not sent unless chosen)'}`,
    )
    for (const k of c.claims)
      lines.push(`      ${safe(k.path.join('.'))} = ${k.values.map((v) => fmtValue(v)).join(', ') || '(whole credential)'}`)
    if (q.format === 'jwt_vc_json') lines.push('      (a W3C credential is shown whole: every claim in it is disclosed)')
    if (q.transactionData.length) lines.push(`      and signs transaction data: ${q.transactionData.map(safe).join(', ')}`)
    if (q.candidates.length > 1) lines.push(`      (${q.candidates.length - 1} other credential(s) could answer)`)
  }
  return lines
}

async function runReceive(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { ...COMMON, 'tx-code': { type: 'string' }, count: { type: 'string' }, dpop: { type: 'boolean' } },
  })
  const link = positionals[0]
  if (!link || positionals.length > 1) throw new UsageError('give one OFFER_URI')
  const count = values.count === undefined ? 10 : Number(values.count)
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new UsageError('--count must be 1..100')
  const wallet = await openWallet(values, io, 'issuerTrustAnchors')
  const resolved = await wallet.inspectOffer(link)
  const { offer, issuer } = resolved
  const display = issuer.metadata.display
  const name = Array.isArray(display) && isJsonObject(display[0]) ? display[0].name : undefined
  if (!values.json) {
    io.err(`Offer from ${offer.credential_issuer}${typeof name === 'string' ? ` (${name})` : ''}:`)
    for (const id of offer.credential_configuration_ids) {
      const conf = issuer.metadata.credential_configurations_supported[id] as Record<string, unknown> | undefined
      io.err(`  ${id}: ${String(conf?.format ?? '?')}`)
    }
    io.err(`Receiving ${count} copies of each…`)
  }
  const pools = await wallet.receiveOffer(link, { count, resolved, ...(values['tx-code'] ? { txCode: values['tx-code'] } : {}) })
  const summaries = (await wallet.list()).filter((s) => pools.some((p) => p.id === s.pool.id))
  if (values.json) io.out(JSON.stringify({ issuer: offer.credential_issuer, pools: summaries.map(publicSummary) }))
  else for (const s of summaries) io.out(describePool(s).join('\n'))
  return 0
}

async function runList(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: COMMON })
  const wallet = await openWallet(values, io, 'issuerTrustAnchors')
  const swept = await wallet.sweepInterrupted()
  if (swept && !values.json) io.err(`Retired ${swept} copies left used by an interrupted presentation.`)
  const pools = await wallet.list()
  if (values.json) io.out(JSON.stringify(pools.map(publicSummary)))
  else io.out(pools.length ? pools.map((s) => describePool(s).join('\n')).join('\n\n') : 'The wallet is empty.')
  return 0
}

async function runPresent(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { ...COMMON, yes: { type: 'boolean' } },
  })
  const link = positionals[0]
  if (!link || positionals.length > 1) throw new UsageError('give one REQUEST_URI')
  if (!values.yes && !io.confirm) throw new UsageError('no terminal to ask for consent: pass --yes to share without asking')
  const wallet = await openWallet(values, io, 'verifierTrustAnchors')
  const r = await wallet.present(link, {
    consent: async (plan) => {
      const text = describePlan(plan).join('\n')
      if (values.yes) {
        if (!values.json) io.err(text)
        return plan.selection
      }
      if (values.json) io.err(text)
      else io.out(text)
      return (await io.confirm?.('Share these with the verifier?')) ? plan.selection : undefined
    },
  })
  const summary = {
    outcome: r.outcome,
    verifier: r.plan.verifier,
    ...(r.redirectUri ? { redirectUri: r.redirectUri } : {}),
    ...(r.error ? { error: r.error } : {}),
    used: r.used,
    skipped: r.skipped,
    refills: r.refills,
  }
  if (values.json) io.out(JSON.stringify(summary))
  else {
    io.out(`The verifier ${r.outcome === 'accepted' ? 'accepted' : `rejected (${r.error})`} the presentation.`)
    if (r.redirectUri) io.out(`Continue at ${safe(r.redirectUri)}`)
    for (const s of r.skipped) io.out(`Skipped a ${s.reason} copy from pool ${s.poolId.slice(0, 8)}.`)
    for (const f of r.refills)
      io.out(
        'added' in f
          ? `Refilled pool ${f.poolId.slice(0, 8)} with ${f.added} copies.`
          : `Pool ${f.poolId.slice(0, 8)}: ${f.reason}.`,
      )
  }
  return r.outcome === 'accepted' ? 0 : 1
}

async function runLog(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: COMMON })
  const wallet = await openWallet(values, io, 'verifierTrustAnchors')
  const log = await wallet.o.store.listLog()
  if (values.json) io.out(JSON.stringify(log))
  else if (log.length === 0) io.out('No presentations yet.')
  else
    for (const e of log) {
      io.out(
        `${new Date(e.at).toISOString()}  ${e.outcome.padEnd(8)}  ${oneLine(e.verifier.subject) ?? ''} (${e.verifier.clientId})`,
      )
      for (const c of e.credentials) io.out(`    ${c.type} from ${c.issuer}: ${c.claims.map((p) => p.join('.')).join(', ')}`)
    }
  return 0
}

type Handler = (args: string[], io: Io) => Promise<number>

/** With --json, a typed error is printed as `{"error":{code,message}}` on stdout too (exit 1). */
function jsonErrors(h: Handler): Handler {
  return async (args, io) => {
    try {
      return await h(args, io)
    } catch (e) {
      if (!args.includes('--json')) throw e
      if (!isVcError(e)) {
        const code = e instanceof UsageError ? 'usage' : 'failed'
        io.out(JSON.stringify({ error: { code, message: (e as Error)?.message ?? String(e) } }))
        throw e // the CLI still prints it on stderr with its exit code
      }
      io.out(JSON.stringify({ error: { code: e.code, message: e.message } }))
      return 1
    }
  }
}

/** `bonafide wallet …`: a terminal holder wallet over the wallet library. */
export const walletCommand = withSubcommands('wallet', 'Terminal holder wallet: receive, list, present, log', HELP, {
  receive: jsonErrors(runReceive),
  list: jsonErrors(runList),
  present: jsonErrors(runPresent),
  log: jsonErrors(runLog),
})
