import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createSafeFetcher, type Fetcher } from '@bonafide/core'
import {
  createDidJwk,
  createDidKey,
  createDidWeb,
  createDidWebDocument,
  type DidDocument,
  resolveDid,
  resolveDidAsync,
} from '@bonafide/did'
import { generatePrivateJwk, importPrivateJwk, type PrivateJwk, type PublicJwk, publicJwkMembers } from '@bonafide/keys'
import { readJsonFile } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { withSubcommands } from '../subcommands.js'

const HELP = `bonafide did create --method jwk|key [--alg ES256|EdDSA] [--key FILE | --out KEYFILE]
bonafide did create --method web --url https://HOST[:PORT][/PATH] [--alg ES256|EdDSA] [--key FILE | --out KEYFILE]
bonafide did resolve DID

create makes a DID for a new key (or the private JWK in --key) and prints {did, kid, publicJwk, document} as JSON;
--out writes the new private key (mode 0600), otherwise it is printed as privateJwk. For did:web, host
"document" at the URL the DID maps to (/.well-known/did.json, or /PATH/did.json).
resolve prints the DID document (did:jwk, did:key locally; did:web over HTTPS).
Set BONAFIDE_ALLOW_INSECURE_FETCH=1 to resolve did:web over http:// and loopback (local testing only).`

function fetcherFor(io: Io): Fetcher {
  if (io.env.BONAFIDE_ALLOW_INSECURE_FETCH !== '1') return createSafeFetcher()
  const insecure = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  return (url, req) => insecure(url.replace(/^https:/, 'http:'), req)
}

async function keyFor(values: { alg?: string | undefined; key?: string | undefined }): Promise<{
  publicJwk: PublicJwk
  privateJwk?: PrivateJwk
}> {
  if (values.key) {
    try {
      return { publicJwk: publicJwkMembers(importPrivateJwk(await readJsonFile(values.key, '--key')).publicJwk) }
    } catch (e) {
      if (e instanceof UsageError) throw e
      throw new UsageError('--key must be a private JWK (see bonafide keygen)')
    }
  }
  const alg = values.alg ?? 'ES256'
  if (alg !== 'ES256' && alg !== 'EdDSA') throw new UsageError('--alg must be ES256 or EdDSA')
  const privateJwk = generatePrivateJwk(alg)
  return { publicJwk: publicJwkMembers(importPrivateJwk(privateJwk).publicJwk), privateJwk }
}

async function create(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      method: { type: 'string' },
      alg: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
    },
    strict: true,
  })
  if (values.key && (values.out || values.alg)) throw new UsageError('--key cannot be combined with --out or --alg')
  if (values.method !== 'jwk' && values.method !== 'key' && values.method !== 'web')
    throw new UsageError('--method must be jwk, key or web')
  if ((values.method === 'web') !== (values.url !== undefined))
    throw new UsageError('--url is required with --method web, and only there')
  const { publicJwk, privateJwk } = await keyFor(values)
  let document: DidDocument
  if (values.method === 'web') {
    const did = createDidWeb(values.url as string)
    document = createDidWebDocument({ did, keys: [publicJwk] })
  } else {
    document = resolveDid(values.method === 'jwk' ? createDidJwk(publicJwk) : createDidKey(publicJwk))
  }
  if (privateJwk && values.out) {
    await writeFile(values.out, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 })
    io.err(`wrote private key to ${values.out}`)
  }
  const kid = document.verificationMethod[0]?.id
  io.out(
    JSON.stringify({ did: document.id, kid, publicJwk, document, ...(privateJwk && !values.out ? { privateJwk } : {}) }, null, 2),
  )
  return 0
}

async function resolve(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true })
  if (positionals.length !== 1) throw new UsageError('give exactly one DID')
  io.out(JSON.stringify(await resolveDidAsync(positionals[0] as string, { fetcher: fetcherFor(io) }), null, 2))
  return 0
}

/** `bonafide did create|resolve`. */
export const didCommand: Command = withSubcommands('did', 'create and resolve DIDs (did:jwk, did:key, did:web)', HELP, {
  create,
  resolve,
})
