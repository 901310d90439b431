import QRCode from 'qrcode'
import { readJsonFile } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'
import { adminRun, agentClient, parseAdminArgs, pathId } from './client.js'

const AGENT = '(every command: --agent URL --api-key KEY, or BONAFIDE_AGENT / BONAFIDE_API_KEY; --json)'

async function claimsFrom(file: string, io: Io): Promise<unknown> {
  if (file === '-') {
    try {
      return JSON.parse(await io.readStdin())
    } catch {
      throw new UsageError('--claims - : standard input is not JSON')
    }
  }
  return readJsonFile(file, 'claims')
}

const offerCreate = async (args: string[], io: Io) => {
  const { values } = parseAdminArgs(args, {
    config: { type: 'string', multiple: true },
    claims: { type: 'string' },
    'tx-code': { type: 'boolean' },
    approval: { type: 'boolean' },
    expires: { type: 'string' },
    qr: { type: 'boolean' },
  })
  const configs = values.config ?? []
  if (configs.length === 0) throw new UsageError('--config ID is required')
  if (!values.claims) throw new UsageError('--claims FILE is required')
  if (values.expires !== undefined && !/^\d{1,8}$/.test(values.expires)) throw new UsageError('--expires must be seconds')
  const claims = await claimsFrom(values.claims, io)
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
    throw new UsageError('the claims must be a JSON object')
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const r = await a.call('POST', '/v1/offers', {
      configurationIds: configs,
      claims,
      ...(values['tx-code'] ? { txCode: true } : {}),
      ...(values.approval ? { requireApproval: true } : {}),
      ...(values.expires ? { expiresInSeconds: Number(values.expires) } : {}),
    })
    if (a.json) io.out(JSON.stringify({ offer: r.offer, session: r.sessionId, txCode: r.txCode ?? null }))
    else {
      io.out(r.offer)
      if (values.qr) io.out(await QRCode.toString(r.offer, { type: 'terminal', small: true }))
      io.err(`session ${r.sessionId}${r.txCode ? `, tx code: ${r.txCode}` : ''}`)
    }
    return 0
  })
}

const listed = (io: Io, json: boolean, items: Record<string, unknown>[], cols: string[]) => {
  if (json) io.out(JSON.stringify({ items }))
  else for (const i of items) io.out(cols.map((c) => String(i[c] ?? '-')).join('  '))
  return 0
}

const credentialList = async (args: string[], io: Io) => {
  const { values } = parseAdminArgs(args, { batch: { type: 'string' }, session: { type: 'string' }, limit: { type: 'string' } })
  const q = new URLSearchParams()
  if (values.batch) q.set('batch', values.batch)
  if (values.session) q.set('session', values.session)
  if (values.limit) q.set('limit', values.limit)
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () =>
    listed(io, a.json, (await a.call('GET', `/v1/credentials?${q}`)).items, ['id', 'status', 'configurationId', 'batchId']),
  )
}

const credentialStatus = (action: 'revoke' | 'suspend' | 'reinstate', done: string) => async (args: string[], io: Io) => {
  const { values, positionals } = parseAdminArgs(args, { batch: { type: 'boolean' } })
  const id = pathId(positionals[0], values.batch ? 'a batch id' : 'a credential id')
  const a = agentClient(values, io)
  return adminRun(io, a.json, async () => {
    const r = await a.call('POST', `/v1/${values.batch ? 'batches' : 'credentials'}/${id}/${action}`)
    if (a.json) io.out(JSON.stringify(r))
    else io.out(`${done} ${r.updated} credential(s)`)
    return 0
  })
}

const simple =
  (method: 'GET' | 'POST', path: (p: string[]) => string, body?: (p: string[]) => Promise<unknown>, cols?: string[]) =>
  async (args: string[], io: Io) => {
    const { values, positionals } = parseAdminArgs(args, {
      name: { type: 'string' },
      tag: { type: 'string' },
      author: { type: 'string' },
    })
    const p = path(positionals)
    const q = new URLSearchParams()
    for (const k of ['name', 'tag', 'author'] as const) if (values[k]) q.set(k, values[k] as string)
    const b = body ? await body(positionals) : undefined
    const a = agentClient(values, io)
    return adminRun(io, a.json, async () => {
      const r = await a.call(method, `${p}${method === 'GET' && q.size ? `?${q}` : ''}`, b)
      if (cols && Array.isArray(r?.items)) return listed(io, a.json, r.items, cols)
      io.out(JSON.stringify(r, null, a.json ? undefined : 2))
      return 0
    })
  }
const fileBody = (what: string) => async (p: string[]) => {
  if (!p[0]) throw new UsageError(`${what} FILE is required`)
  return readJsonFile(p[0], what)
}

export const offerCommand: Command = withSubcommands(
  'offer',
  'agent: create credential offers',
  `bonafide offer create --config ID [--config ID2 …] --claims FILE|- [--tx-code] [--approval] [--expires SECONDS] [--qr]
  Prints the openid-credential-offer:// URI (--qr also draws it; --json: {"offer","session","txCode"}). ${AGENT}`,
  { create: offerCreate },
)

export const credentialCommand: Command = withSubcommands(
  'credential',
  'agent: issued credentials and their status',
  `bonafide credential list [--batch ID] [--session ID] [--limit N]
bonafide credential revoke|suspend|reinstate ID [--batch]     (--batch: ID is a batch id; the whole batch at once)
  ${AGENT}`,
  {
    list: credentialList,
    revoke: credentialStatus('revoke', 'revoked'),
    suspend: credentialStatus('suspend', 'suspended'),
    reinstate: credentialStatus('reinstate', 'reinstated'),
  },
)

export const configCommand: Command = withSubcommands(
  'config',
  'agent: credential configurations',
  `bonafide config list | create FILE | retire ID
  ${AGENT}`,
  {
    list: simple('GET', () => '/v1/credential-configurations', undefined, ['id', 'format', 'batchSize', 'statusList']),
    create: simple('POST', () => '/v1/credential-configurations', fileBody('configuration')),
    retire: simple('POST', (p) => `/v1/credential-configurations/${pathId(p[0], 'a configuration id')}/retire`),
  },
)

export const registryCommand: Command = withSubcommands(
  'registry',
  'agent: the schema registry',
  `bonafide registry schema create FILE
bonafide registry schema list [--name N] [--tag T] [--author A]
  ${AGENT}`,
  {
    schema: async (args, io) => {
      const [sub, ...rest] = args
      if (sub === 'create') return simple('POST', () => '/v1/schemas', fileBody('schema'))(rest, io)
      if (sub === 'list') return simple('GET', () => '/v1/schemas', undefined, ['id', 'name', 'version', 'author'])(rest, io)
      throw new UsageError('registry schema create FILE | list')
    },
  },
)

export const keyCommand: Command = withSubcommands(
  'key',
  'agent: issuer signing keys',
  `bonafide key rotate | list
  ${AGENT}`,
  {
    rotate: simple('POST', () => '/v1/keys/rotate'),
    list: simple('GET', () => '/v1/keys', undefined, ['id', 'active', 'publishUntil']),
  },
)
