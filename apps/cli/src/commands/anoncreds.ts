import { writeFile } from 'node:fs/promises'
import {
  type CredentialDefinition,
  createCredential,
  createCredentialDefinition,
  createCredentialOffer,
  createCredentialRequest,
  createLinkSecret,
  createPresentation,
  createSchema,
  type PresentCredential,
  processCredential,
  type RequestedCredentials,
  type RevocationRegistryDefinition,
  type RevocationStatusList,
  type Schema,
  verifyPresentation,
} from '@bonafide/anoncreds'
import { isVcError } from '@bonafide/core'
import { listOption, readTextFile } from '../args.js'
import { type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'
import {
  ISSUE_REVOCATION_OPTIONS,
  issueRevocationConfig,
  json,
  jsonArray,
  jsonMap,
  need,
  opts,
  presentRevocation,
  revocationSubcommands,
  str,
  text,
} from './anoncreds-revocation.js'

const HELP = `bonafide anoncreds <subcommand> — AnonCreds v1 (CL signatures) from files, no native code

  verify --proof FILE --request FILE --schemas FILE --cred-defs FILE [--rev-reg-defs FILE --rev-status-lists FILE] [--json]
      Verify a presentation against its request; the maps are JSON objects keyed by id, as anoncreds-rs takes them,
      --rev-status-lists a JSON array of status lists (the ones at the presentation's timestamps).
      Prints {"valid":true} or {"valid":false,"code":…,"reason":…}; --json adds the details. Exit 0 valid, 1 invalid, 2 bad usage.
  schema --name N --version V --issuer ID --attrs a,b,c              prints the schema
  cred-def --schema FILE --schema-id ID --issuer ID [--tag T] [--revocable] --private-out FILE
      Creates a credential definition (seconds: two safe primes); prints {credentialDefinition, keyCorrectnessProof},
      writes the private part to --private-out (mode 0600). --revocable adds the revocation keys.
  offer --schema-id ID --cred-def-id ID --key-proof FILE            prints an offer (fresh nonce)
  link-secret                                                      prints a new link secret (keep it private)
  request --offer FILE --cred-def FILE --link-secret FILE [--entropy E] --metadata-out FILE
      Prints the credential request; writes the request metadata (needed to process the credential).
  issue --cred-def FILE --private FILE --offer FILE --request FILE --values FILE
        [--rev-reg-def FILE --rev-reg-def-id ID --rev-private FILE --status-list FILE --index N]
      Prints the credential; --values is a JSON object of raw values by attribute name. The revocation options (all
      or none) issue a revocable credential at registry index N (1 … max − 1) of the current status list.
  process --credential FILE --metadata FILE --link-secret FILE --cred-def FILE [--rev-reg-def FILE]
      Prints the processed credential; a revocable one needs its revocation registry definition.
  present --request FILE --credentials FILE --requested FILE --link-secret FILE --schemas FILE --cred-defs FILE [--self-attested FILE]
          [--rev-states FILE [--timestamps FILE] --rev-reg-defs FILE]
      --credentials: a JSON array of credentials; --requested: {requested_attributes:{ref:{cred_id,revealed}},
      requested_predicates:{ref:{cred_id}}} (cred_id = index in the array). Prints the presentation.
      --rev-states / --timestamps: JSON arrays parallel to --credentials (null where none; a timestamp defaults to
      its state's) for non-revocation proofs; --rev-reg-defs (by id) makes the holder refuse a revoked credential
      (exit 1, anoncreds.credential_revoked).

  Revocation (CL_ACCUM registries; timestamps are Unix seconds, the current time when --timestamp is absent):
  rev-reg --cred-def FILE --cred-def-id ID --issuer ID [--tag T] --max N --tails-dir DIR --private-out FILE
      Creates a registry of N credentials: writes the tails file into DIR (named by its hash; the definition's
      tailsLocation), the private part to --private-out (mode 0600); prints the revocation registry definition.
  status-list --cred-def FILE --rev-reg-def FILE --rev-reg-def-id ID --private FILE [--timestamp T] [--issuance-by-default]
      Prints the registry's first status list (issuance by default: every index issued; else none until unrevoked).
  revoke|unrevoke --cred-def FILE --rev-reg-def FILE --private FILE --status-list FILE --index N[,N…] [--timestamp T]
      Prints the updated status list with those indexes revoked (or issued again).
  rev-state --rev-reg-def FILE --status-list FILE --index N --tails FILE [--previous FILE --previous-list FILE]
      Prints the holder's revocation state for index N at the list's timestamp; --previous (a state) and
      --previous-list (the list it was made from) update it instead.`

const linkSecret = async (path: unknown) => (await readTextFile(need(path, 'link-secret'), 'link secret')).trim()

async function verify(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['proof', 'request', 'schemas', 'cred-defs', 'rev-reg-defs', 'rev-status-lists'], ['json'])
  if (Boolean(v['rev-reg-defs']) !== Boolean(v['rev-status-lists']))
    throw new UsageError('--rev-reg-defs and --rev-status-lists go together')
  const [proof, request, schemas, credDefs] = await Promise.all([
    json(need(v.proof, 'proof'), 'proof'),
    json(need(v.request, 'request'), 'request'),
    json<Record<string, Schema>>(need(v.schemas, 'schemas'), 'schemas'),
    json<Record<string, CredentialDefinition>>(need(v['cred-defs'], 'cred-defs'), 'cred-defs'),
  ])
  const revRegDefs = v['rev-reg-defs']
    ? await jsonMap<RevocationRegistryDefinition>(str(v['rev-reg-defs'])!, 'rev-reg-defs')
    : undefined
  const lists = v['rev-status-lists']
    ? await jsonArray<RevocationStatusList>(str(v['rev-status-lists'])!, 'rev-status-lists')
    : undefined
  let result: { valid: boolean; code?: string; reason?: string; details?: unknown }
  try {
    result = verifyPresentation(proof as never, request as never, schemas, credDefs, revRegDefs, lists)
  } catch (e) {
    if (!isVcError(e)) throw e
    result = { valid: false, code: e.code, reason: e.message }
  }
  const { details, ...brief } = result
  io.out(JSON.stringify(v.json ? result : brief))
  return result.valid ? 0 : 1
}

async function schema(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['name', 'version', 'issuer', 'attrs'])
  const attrs = listOption(str(v.attrs))
  if (!attrs.length) throw new UsageError('--attrs is required (comma-separated)')
  io.out(text(createSchema(need(v.name, 'name'), need(v.version, 'version'), need(v.issuer, 'issuer'), attrs)))
  return 0
}

async function credDef(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['schema', 'schema-id', 'issuer', 'tag', 'private-out'], ['revocable'])
  const out = need(v['private-out'], 'private-out')
  const made = await createCredentialDefinition(
    need(v['schema-id'], 'schema-id'),
    await json<Schema>(need(v.schema, 'schema'), 'schema'),
    need(v.issuer, 'issuer'),
    str(v.tag) ?? 'default',
    { supportRevocation: v.revocable === true },
  )
  await writeFile(out, text(made.credentialDefinitionPrivate), { mode: 0o600 })
  io.out(text({ credentialDefinition: made.credentialDefinition, keyCorrectnessProof: made.keyCorrectnessProof }))
  return 0
}

async function offer(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['schema-id', 'cred-def-id', 'key-proof'])
  const kcp = await json<never>(need(v['key-proof'], 'key-proof'), 'key correctness proof')
  io.out(text(createCredentialOffer(need(v['schema-id'], 'schema-id'), need(v['cred-def-id'], 'cred-def-id'), kcp)))
  return 0
}

async function request(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['offer', 'cred-def', 'link-secret', 'entropy', 'metadata-out'])
  const out = need(v['metadata-out'], 'metadata-out')
  const r = createCredentialRequest(
    { entropy: str(v.entropy) ?? createLinkSecret().slice(0, 24) },
    await json<CredentialDefinition>(need(v['cred-def'], 'cred-def'), 'credential definition'),
    await linkSecret(v['link-secret']),
    'default',
    await json<never>(need(v.offer, 'offer'), 'offer'),
  )
  await writeFile(out, text(r.credentialRequestMetadata), { mode: 0o600 })
  io.out(text(r.credentialRequest))
  return 0
}

async function issue(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['cred-def', 'private', 'offer', 'request', 'values', ...ISSUE_REVOCATION_OPTIONS])
  const revocation = await issueRevocationConfig(v)
  const [cd, priv, off, req, values] = await Promise.all([
    json<CredentialDefinition>(need(v['cred-def'], 'cred-def'), 'credential definition'),
    json<never>(need(v.private, 'private'), 'private part'),
    json<never>(need(v.offer, 'offer'), 'offer'),
    json<never>(need(v.request, 'request'), 'request'),
    json<Record<string, string>>(need(v.values, 'values'), 'values'),
  ])
  io.out(text(createCredential(cd, priv, off, req, values, { revocation })))
  return 0
}

async function processCmd(args: string[], io: Io): Promise<number> {
  const v = opts(args, ['credential', 'metadata', 'link-secret', 'cred-def', 'rev-reg-def'])
  const revRegDef = v['rev-reg-def']
    ? await json<RevocationRegistryDefinition>(str(v['rev-reg-def']), 'revocation registry definition')
    : undefined
  io.out(
    text(
      processCredential(
        await json<never>(need(v.credential, 'credential'), 'credential'),
        await json<never>(need(v.metadata, 'metadata'), 'request metadata'),
        await linkSecret(v['link-secret']),
        await json<CredentialDefinition>(need(v['cred-def'], 'cred-def'), 'credential definition'),
        revRegDef,
      ),
    ),
  )
  return 0
}

async function present(args: string[], io: Io): Promise<number> {
  const v = opts(args, [
    'request',
    'credentials',
    'requested',
    'link-secret',
    'schemas',
    'cred-defs',
    'self-attested',
    'rev-states',
    'timestamps',
    'rev-reg-defs',
  ])
  const creds = await json<unknown[]>(need(v.credentials, 'credentials'), 'credentials')
  if (!Array.isArray(creds)) throw new UsageError('--credentials must hold a JSON array of credentials')
  const rev = await presentRevocation(v, creds.length)
  io.out(
    text(
      createPresentation(
        await json<never>(need(v.request, 'request'), 'presentation request'),
        creds.map((credential, i) => ({ credential, ...rev.at(i) }) as PresentCredential),
        v['self-attested'] ? await json<Record<string, string>>(str(v['self-attested']), 'self-attested') : {},
        await json<RequestedCredentials>(need(v.requested, 'requested'), 'requested credentials'),
        await linkSecret(v['link-secret']),
        await json<Record<string, Schema>>(need(v.schemas, 'schemas'), 'schemas'),
        await json<Record<string, CredentialDefinition>>(need(v['cred-defs'], 'cred-defs'), 'credential definitions'),
        rev.options,
      ),
    ),
  )
  return 0
}

export const anoncreds = withSubcommands(
  'anoncreds',
  'AnonCreds v1: credential definitions, issuance, presentations, verification',
  HELP,
  {
    verify,
    schema,
    'cred-def': credDef,
    offer,
    'link-secret': async (_args, io) => {
      io.out(createLinkSecret())
      return 0
    },
    request,
    issue,
    process: processCmd,
    present,
    ...revocationSubcommands,
  },
)
