/**
 * `bonafide anoncreds` revocation subcommands (rev-reg, status-list, revoke, unrevoke, rev-state) and the option
 * helpers the other anoncreds subcommands share: the issuer's registry and status lists, the holder's revocation
 * state, through files as the rest of the command.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import {
  type CredentialDefinition,
  type CredentialRevocationConfig,
  type CredentialRevocationState,
  createOrUpdateRevocationState,
  createRevocationRegistryDefinition,
  createRevocationStatusList,
  type RevocationRegistryDefinition,
  type RevocationRegistryDefinitionPrivate,
  type RevocationStatusList,
  tailsDirectoryWriter,
  updateRevocationStatusList,
} from '@bonafide/anoncreds'
import { intOption, listOption, readJsonFile } from '../args.js'
import { type Io, UsageError } from '../io.js'

export type Values = Record<string, string | boolean | undefined>

export const text = (v: unknown) => JSON.stringify(v, null, 2)
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
export const need = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`)
  return v
}
export const json = <T>(path: string | undefined, what: string) => readJsonFile(path, what) as Promise<T>
export const opts = (args: string[], names: readonly string[], bools: readonly string[] = []): Values =>
  parseArgs({
    args,
    strict: true,
    options: Object.fromEntries([
      ...names.map((n) => [n, { type: 'string' as const }]),
      ...bools.map((n) => [n, { type: 'boolean' as const }]),
    ]),
  }).values as Values

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A JSON object keyed by id (`--rev-reg-defs`, `--schemas` …). */
export async function jsonMap<T>(path: string, what: string): Promise<Record<string, T>> {
  const v = await json<unknown>(path, what)
  if (!isMap(v)) throw new UsageError(`--${what} must hold a JSON object keyed by id`)
  return v as Record<string, T>
}

/** A JSON array (`--rev-status-lists`, `--credentials` …). */
export async function jsonArray<T>(path: string, what: string): Promise<T[]> {
  const v = await json<unknown>(path, what)
  if (!Array.isArray(v)) throw new UsageError(`--${what} must hold a JSON array`)
  return v as T[]
}

/** A registry index (`--index N`): a non-negative integer, else bad usage. */
export const indexOption = (v: unknown, name = 'index'): number => intOption(need(v, name), `--${name}`)!

/** Unix seconds (`--timestamp T`), the current time when absent. */
const timestampOption = (v: unknown): number => intOption(str(v), '--timestamp') ?? Math.floor(Date.now() / 1000)

const credDefOf = (v: Values) => json<CredentialDefinition>(need(v['cred-def'], 'cred-def'), 'credential definition')
const revRegDefOf = (v: Values) =>
  json<RevocationRegistryDefinition>(need(v['rev-reg-def'], 'rev-reg-def'), 'revocation registry definition')
const statusListOf = (path: unknown, name = 'status-list') =>
  json<RevocationStatusList>(need(path, name), 'revocation status list')

/** `issue`'s revocation options: all five or none. */
export const ISSUE_REVOCATION_OPTIONS = ['rev-reg-def', 'rev-reg-def-id', 'rev-private', 'status-list', 'index'] as const

export async function issueRevocationConfig(v: Values): Promise<CredentialRevocationConfig | undefined> {
  const given = ISSUE_REVOCATION_OPTIONS.filter((n) => v[n] !== undefined)
  if (!given.length) return undefined
  if (given.length !== ISSUE_REVOCATION_OPTIONS.length) {
    throw new UsageError(`a revocable credential needs --${ISSUE_REVOCATION_OPTIONS.join(', --')}`)
  }
  const registryIndex = indexOption(v.index)
  const [revRegDef, revRegDefPrivate, statusList] = await Promise.all([
    revRegDefOf(v),
    json<RevocationRegistryDefinitionPrivate>(need(v['rev-private'], 'rev-private'), 'registry private part'),
    statusListOf(v['status-list']),
  ])
  return { revRegDefId: need(v['rev-reg-def-id'], 'rev-reg-def-id'), revRegDef, revRegDefPrivate, statusList, registryIndex }
}

/** `present`'s revocation options: per-credential revocation states and timestamps (arrays parallel to --credentials). */
export async function presentRevocation(v: Values, count: number) {
  if (v.timestamps !== undefined && v['rev-states'] === undefined) throw new UsageError('--timestamps needs --rev-states')
  const parallel = async <T>(name: string, check: (x: unknown) => boolean, kind: string) => {
    if (v[name] === undefined) return undefined
    const xs = await jsonArray<unknown>(need(v[name], name), name)
    if (xs.length !== count) throw new UsageError(`--${name} must have one entry per credential (${count})`)
    if (!xs.every((x) => x === null || check(x))) throw new UsageError(`--${name} entries must be ${kind} or null`)
    return xs as (T | null)[]
  }
  const states = await parallel<CredentialRevocationState>('rev-states', isMap, 'revocation states')
  const stamps = await parallel<number>('timestamps', (x) => Number.isSafeInteger(x), 'integers')
  const revocationRegistryDefinitions = v['rev-reg-defs']
    ? await jsonMap<RevocationRegistryDefinition>(str(v['rev-reg-defs'])!, 'rev-reg-defs')
    : undefined
  return {
    /** The revocation state and timestamp (by default the state's own) for credential `i`. */
    at(i: number): { timestamp?: number; revState?: CredentialRevocationState } {
      const revState = states?.[i] ?? undefined
      if (!revState) {
        if (stamps?.[i] != null) throw new UsageError(`--timestamps entry ${i} has no revocation state`)
        return {}
      }
      return { revState, timestamp: stamps?.[i] ?? (revState as { timestamp?: number }).timestamp }
    },
    options: revocationRegistryDefinitions ? { revocationRegistryDefinitions } : {},
  }
}

async function revReg(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['cred-def', 'cred-def-id', 'issuer', 'tag', 'max', 'tails-dir', 'private-out'])
  const out = need(v['private-out'], 'private-out')
  const max = intOption(need(v.max, 'max'), '--max')!
  const made = await createRevocationRegistryDefinition(
    await credDefOf(v),
    need(v['cred-def-id'], 'cred-def-id'),
    need(v.issuer, 'issuer'),
    str(v.tag) ?? 'default',
    'CL_ACCUM',
    max,
    tailsDirectoryWriter(need(v['tails-dir'], 'tails-dir')),
  )
  await writeFile(out, text(made.revocationRegistryDefinitionPrivate), { mode: 0o600 })
  io.out(text(made.revocationRegistryDefinition))
  return 0
}

async function statusList(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['cred-def', 'rev-reg-def', 'rev-reg-def-id', 'private', 'timestamp'], ['issuance-by-default'])
  const id = need(v['rev-reg-def-id'], 'rev-reg-def-id')
  const timestamp = timestampOption(v.timestamp)
  const [cd, def, priv] = await Promise.all([
    credDefOf(v),
    revRegDefOf(v),
    json<RevocationRegistryDefinitionPrivate>(need(v.private, 'private'), 'registry private part'),
  ])
  io.out(text(createRevocationStatusList(cd, id, def, priv, timestamp, v['issuance-by-default'] === true)))
  return 0
}

/** `revoke` (bits set to 1) and `unrevoke` (issue: bits set to 0) of the indexes in `--index N[,N…]`. */
const updateList =
  (revoke: boolean) =>
  async (args: string[], io: Io): Promise<number> => {
    const v = opts(args, ['cred-def', 'rev-reg-def', 'private', 'status-list', 'index', 'timestamp'])
    const raw = listOption(need(v.index, 'index'))
    if (!raw.length) throw new UsageError('--index is required')
    const indexes = raw.map((s) => indexOption(s))
    const timestamp = timestampOption(v.timestamp)
    const [cd, def, priv, current] = await Promise.all([
      credDefOf(v),
      revRegDefOf(v),
      json<RevocationRegistryDefinitionPrivate>(need(v.private, 'private'), 'registry private part'),
      statusListOf(v['status-list']),
    ])
    const [issued, revoked] = revoke ? [undefined, indexes] : [indexes, undefined]
    io.out(text(updateRevocationStatusList(cd, def, priv, current, issued, revoked, timestamp)))
    return 0
  }

async function revState(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['rev-reg-def', 'status-list', 'index', 'tails', 'previous', 'previous-list'])
  if ((v.previous === undefined) !== (v['previous-list'] === undefined)) {
    throw new UsageError('--previous and --previous-list go together')
  }
  const index = indexOption(v.index)
  const tailsPath = need(v.tails, 'tails')
  let tails: Uint8Array
  try {
    tails = new Uint8Array(await readFile(tailsPath))
  } catch {
    throw new UsageError(`cannot read tails file ${tailsPath}`)
  }
  const [def, list] = await Promise.all([revRegDefOf(v), statusListOf(v['status-list'])])
  const previous = v.previous ? await json<CredentialRevocationState>(str(v.previous), 'previous revocation state') : undefined
  const previousList = v['previous-list'] ? await statusListOf(v['previous-list'], 'previous-list') : undefined
  io.out(text(createOrUpdateRevocationState(def, list, index, tails, previous, previousList)))
  return 0
}

export const revocationSubcommands = {
  'rev-reg': revReg,
  'status-list': statusList,
  revoke: updateList(true),
  unrevoke: updateList(false),
  'rev-state': revState,
}
