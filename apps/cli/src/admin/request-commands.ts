import { readFile } from 'node:fs/promises'
import QRCode from 'qrcode'
import { readJsonFile } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'
import { type AgentClient, adminRun, agentClient, parseAdminArgs, pathId } from './client.js'

// biome-ignore lint/suspicious/noExplicitAny: the agent's JSON answer, read field by field
type Answer = Record<string, any>

const AGENT = '(every command: --agent URL --api-key KEY, or BONAFIDE_AGENT / BONAFIDE_API_KEY; --json)'
const DONE = new Set(['verified', 'verification_failed', 'accepted', 'rejected', 'expired'])

const requestCreate = async (args: string[], io: Io) => {
  const { values } = parseAdminArgs(args, {
    dcql: { type: 'string' },
    pex: { type: 'string' },
    'response-mode': { type: 'string' },
    'client-id-prefix': { type: 'string' },
    'transaction-data': { type: 'string' },
    policy: { type: 'string' },
    expires: { type: 'string' },
    qr: { type: 'boolean' },
  })
  if (!values.dcql === !values.pex) throw new UsageError('give one of --dcql FILE and --pex FILE')
  const mode = values['response-mode']
  if (mode !== undefined && mode !== 'direct_post' && mode !== 'direct_post.jwt')
    throw new UsageError('--response-mode must be direct_post or direct_post.jwt')
  if (values.expires !== undefined && !/^\d{1,6}$/.test(values.expires)) throw new UsageError('--expires must be seconds')
  const td = values['transaction-data'] ? await readJsonFile(values['transaction-data'], 'transaction data') : undefined
  const body = {
    ...(values.dcql ? { dcql: await readJsonFile(values.dcql, 'DCQL query') } : {}),
    ...(values.pex ? { presentationDefinition: await readJsonFile(values.pex, 'presentation definition') } : {}),
    ...(mode ? { responseMode: mode } : {}),
    ...(values['client-id-prefix'] ? { clientIdPrefix: values['client-id-prefix'] } : {}),
    ...(td !== undefined ? { transactionData: Array.isArray(td) ? td : [td] } : {}),
    ...(values.policy ? { policy: await readJsonFile(values.policy, 'policy') } : {}),
    ...(values.expires ? { expiresInSeconds: Number(values.expires) } : {}),
  }
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const r = await a.call('POST', '/v1/presentation-sessions', body)
    if (a.json) io.out(JSON.stringify({ request: r.request, session: r.id }))
    else {
      io.out(r.request)
      if (values.qr) io.out(await QRCode.toString(r.request, { type: 'terminal', small: true }))
      io.err(`session ${r.id}`)
    }
    return 0
  })
}

/** The result as the CLI prints it: state, verdict, per query its claims and checks. */
function resultOf(r: Answer) {
  return {
    state: r.state,
    valid: r.valid,
    ...(r.error ? { error: r.error } : {}),
    ...(r.decision ? { decision: r.decision } : {}),
    credentials: r.credentials,
  }
}

async function waitFor(a: AgentClient, id: string, seconds: number): Promise<Answer> {
  const until = Date.now() + seconds * 1000
  for (;;) {
    const r = await a.call('GET', `/v1/presentation-sessions/${id}`)
    if (DONE.has(r.state) || Date.now() >= until) return r
    await new Promise((ok) => setTimeout(ok, Math.min(500, Math.max(0, until - Date.now()))))
  }
}

function printResult(io: Io, r: Answer): void {
  io.out(`${r.state}${r.valid === null ? '' : r.valid ? ' (valid)' : ' (invalid)'}`)
  if (r.error) io.out(`  ${r.error.code}: ${r.error.message}`)
  for (const q of r.credentials ?? []) {
    io.out(`  ${q.queryId} ${q.format}: ${q.valid ? 'valid' : 'invalid'}`)
    for (const c of q.checks ?? [])
      if (c.outcome === 'failed') io.out(`    ${c.check} failed: ${c.code}${c.hint ? `\n    hint: ${c.hint}` : ''}`)
    for (const claims of q.claims ?? []) io.out(`    ${JSON.stringify(claims)}`)
  }
  if (r.decision)
    io.out(
      `  ${r.decision.accepted ? 'accepted' : 'rejected'} by ${r.decision.by}${r.decision.reasons.length ? `: ${r.decision.reasons.join('; ')}` : ''}`,
    )
}

const requestResult = async (args: string[], io: Io) => {
  const { values, positionals } = parseAdminArgs(args, { wait: { type: 'string' } })
  const id = pathId(positionals[0], 'a session id')
  if (values.wait !== undefined && !/^\d{1,4}$/.test(values.wait)) throw new UsageError('--wait must be seconds (0..9999)')
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const r = resultOf(await waitFor(a, id, Number(values.wait ?? 0)))
    if (a.json) io.out(JSON.stringify(r))
    else printResult(io, r)
    return 0
  })
}

const requestDecide = (accept: boolean) => async (args: string[], io: Io) => {
  const { values, positionals } = parseAdminArgs(args, { reason: { type: 'string' } })
  const id = pathId(positionals[0], 'a session id')
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const body = values.reason ? { reason: values.reason } : {}
    const r = resultOf(await a.call('POST', `/v1/presentation-sessions/${id}/${accept ? 'accept' : 'reject'}`, body))
    if (a.json) io.out(JSON.stringify(r))
    else io.out(r.state)
    return 0
  })
}

export const requestCommand: Command = withSubcommands(
  'request',
  'agent: verification sessions (OpenID4VP requests)',
  `bonafide request create --dcql FILE|--pex FILE [--response-mode direct_post|direct_post.jwt] [--client-id-prefix x509_hash|x509_san_dns|redirect_uri]
                         [--transaction-data FILE] [--policy FILE] [--expires SECONDS] [--qr]
  Prints the openid4vp:// request (--json: {"request","session"}).
bonafide request result ID [--wait SECONDS]   state, verdict, per query the claims and each failed check
  (--json: {"state","valid","credentials":[…per query…]}; --wait polls until the wallet answered)
bonafide request accept|reject ID [--reason TEXT]
  ${AGENT}`,
  { create: requestCreate, result: requestResult, accept: requestDecide(true), reject: requestDecide(false) },
)

const trustAdd = async (args: string[], io: Io) => {
  const { values, positionals } = parseAdminArgs(args, { kind: { type: 'string' }, label: { type: 'string' } })
  const file = positionals[0]
  if (!values.kind || !file) throw new UsageError('bonafide trust add --kind KIND FILE')
  const text = (await readFile(file, 'utf8').catch(() => undefined))?.trim()
  if (text === undefined) throw new UsageError(`cannot read ${file}`)
  const value = values.kind === 'issuer_key' ? JSON.parse(text) : text
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const r = await a.call('POST', '/v1/trust', { kind: values.kind, value, ...(values.label ? { label: values.label } : {}) })
    io.out(a.json ? JSON.stringify(r) : r.id)
    return 0
  })
}

export const trustCommand: Command = withSubcommands(
  'trust',
  "agent: the trust list (the agent's own root is always trusted)",
  `bonafide trust add --kind x509_root|issuer_key|did|verifier_root|wallet_provider FILE [--label TEXT]
bonafide trust list
bonafide trust remove ID
  ${AGENT}`,
  {
    add: trustAdd,
    list: async (args, io) => {
      const { values } = parseAdminArgs(args, {})
      const a = agentClient(values, io)
      return adminRun(io, a.json, async () => {
        const r = await a.call('GET', '/v1/trust')
        if (a.json) io.out(JSON.stringify(r))
        else for (const t of r.items) io.out(`${t.id}  ${t.kind}  ${t.label ?? '-'}`)
        return 0
      })
    },
    remove: async (args, io) => {
      const { values, positionals } = parseAdminArgs(args, {})
      const id = pathId(positionals[0], 'a trust entry id')
      const a = agentClient(values, io)
      return adminRun(io, a.json, async () => {
        await a.call('DELETE', `/v1/trust/${id}`)
        return 0
      })
    },
  },
)
