import { parseArgs } from 'node:util'
import { isJsonObject, isVcError, type JsonObject } from '@bonafide/core'
import { decodeJwsUnverified } from '@bonafide/jose'
import {
  bitstringStatusEntry,
  createJwtVp,
  didForKey,
  issueJwtVc,
  issueJwtVcBatch,
  type JwtVcIssuerKeyPolicy,
  type VcVersion,
  type VerifiedJwtVc,
  verifyJwtVc,
  verifyJwtVp,
} from '@bonafide/jwt-vc'
import type { SchemaReport } from '@bonafide/schema'
import { intOption, listOption, readJsonFile, readTextFile, readTokenArg } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { readPublicKeys, readSigner } from '../keyfile.js'
import { invalidReport, withSubcommands } from '../subcommands.js'
import { pemChain, readClaimsSchema, schemaRefused } from './sd-jwt.js'

const HELP = `bonafide vc issue   --issuer-key FILE --issuer URL|DID|did:jwk|did:key --claims FILE [--type T,T…] [--vc-version 1.1|2.0]
                    [--holder-key FILE [--subject-did did:jwk|did:key]] [--exp SECONDS] [--batch N]
                    [--status-list URL --status-index N [--status-purpose revocation|suspension]] [--x5c PEM] [--schema FILE]
bonafide vc present TOKEN… --holder-key FILE --aud AUD --nonce NONCE [--holder did:jwk|did:key] [--vc-version 1.1|2.0]
bonafide vc verify  TOKEN|- (--issuer-key FILE | --trust-anchor PEM | --did) [--aud AUD --nonce NONCE] [--now UNIX]

W3C Verifiable Credentials as JWT: VCDM 1.1 (jwt_vc_json, the default) or VCDM 2.0 (vc+jwt / vp+jwt).
--issuer did:jwk or did:key names the issuer by a DID of --issuer-key; --claims is the credentialSubject.
--schema is the credential's JSON Schema 2020-12 (a W3C credentialSchema of type JsonSchema: it constrains
the whole credential, so subject claims sit under credentialSubject); an http(s) $id is referenced as
credentialSchema. Credentials that break it are not signed: every failing field goes to stderr, exit 1.
A batch takes one holder key per credential (a JSON array or JWKS) and status indices from --status-index up.
verify takes a credential or a presentation (a presentation needs --aud and --nonce) and prints
{"valid":true,…} or {"valid":false,"error":{"code":…,"message":…}}; exit 0 when valid, 1 when invalid, 2 on bad usage.`

function version(v: string | undefined): VcVersion {
  if (v === undefined || v === '1.1' || v === '2.0') return v ?? '1.1'
  throw new UsageError('--vc-version must be 1.1 or 2.0')
}

function didMethod(v: string | undefined, what: string): 'did:jwk' | 'did:key' | undefined {
  if (v === undefined || v === 'did:jwk' || v === 'did:key') return v
  throw new UsageError(`${what} must be did:jwk or did:key`)
}

async function issue(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'issuer-key': { type: 'string' },
      issuer: { type: 'string' },
      claims: { type: 'string' },
      type: { type: 'string' },
      'vc-version': { type: 'string' },
      'holder-key': { type: 'string' },
      'subject-did': { type: 'string' },
      exp: { type: 'string' },
      batch: { type: 'string' },
      'status-list': { type: 'string' },
      'status-index': { type: 'string' },
      'status-purpose': { type: 'string' },
      x5c: { type: 'string' },
      schema: { type: 'string' },
    },
  })
  if (!values.issuer) throw new UsageError('--issuer is required')
  const signer = await readSigner(values['issuer-key'], '--issuer-key')
  const claims = await readJsonFile(values.claims, '--claims')
  if (!isJsonObject(claims)) throw new UsageError('--claims must hold a JSON object')
  const batch = intOption(values.batch, '--batch', 1) as number
  if (batch < 1 || batch > 1000) throw new UsageError('--batch must be between 1 and 1000')
  const holders = values['holder-key'] ? await readPublicKeys(values['holder-key'], '--holder-key') : []
  if (holders.length > 0 && holders.length !== batch)
    throw new UsageError(`--holder-key holds ${holders.length} keys for a batch of ${batch}`)
  const subjectDid = didMethod(values['subject-did'], '--subject-did')
  if (subjectDid && holders.length === 0) throw new UsageError('--subject-did needs --holder-key')
  const statusIndex = intOption(values['status-index'], '--status-index')
  if ((statusIndex === undefined) !== (values['status-list'] === undefined))
    throw new UsageError('--status-list and --status-index go together')
  const issuerDid = didMethod(values.issuer === 'did:jwk' || values.issuer === 'did:key' ? values.issuer : undefined, '--issuer')
  const exp = intOption(values.exp, '--exp')
  const schema = values.schema ? await readClaimsSchema(values.schema) : undefined
  const schemaId = typeof schema?.doc.$id === 'string' && /^https?:\/\//.test(schema.doc.$id) ? schema.doc.$id : undefined
  let report: SchemaReport | undefined
  const shared = {
    signer,
    version: version(values['vc-version']),
    issuer: issuerDid ? didForKey(signer.publicJwk, issuerDid) : values.issuer,
    credential: {
      type: ['VerifiableCredential', ...listOption(values.type)],
      credentialSubject: claims as JsonObject,
      // W3C VC JSON Schema: a credentialSchema of type JsonSchema names the schema by its URL.
      ...(schemaId ? { credentialSchema: { id: schemaId, type: 'JsonSchema' } } : {}),
    },
    // jwt-vc checks every credential of a batch before signing any.
    ...(schema ? { validateSchema: (c: JsonObject) => (report = schema.check(c)) } : {}),
    ...(exp !== undefined ? { validForSeconds: exp } : {}),
    ...(values.x5c ? { x5c: pemChain(await readTextFile(values.x5c, '--x5c')) } : {}),
  }
  const entries = Array.from({ length: batch }, (_, i) => {
    const holderKey = holders[i]
    return {
      ...(holderKey ? { holderKey } : {}),
      ...(holderKey && subjectDid ? { subjectId: didForKey(holderKey, subjectDid) } : {}),
      ...(values['status-list'] && statusIndex !== undefined
        ? {
            credentialStatus: bitstringStatusEntry({
              statusListCredential: values['status-list'],
              index: statusIndex + i,
              purpose: values['status-purpose'] ?? 'revocation',
            }),
          }
        : {}),
    }
  })
  try {
    if (batch === 1) io.out(await issueJwtVc({ ...shared, ...entries[0] }))
    else io.out((await issueJwtVcBatch({ ...shared, entries })).credentials.join('\n'))
  } catch (e) {
    if (report && !report.valid && isVcError(e, 'jwt_vc.schema_invalid')) return schemaRefused(report, io)
    throw e
  }
  return 0
}

async function present(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'holder-key': { type: 'string' },
      holder: { type: 'string' },
      aud: { type: 'string' },
      nonce: { type: 'string' },
      'vc-version': { type: 'string' },
    },
  })
  if (!values.aud || !values.nonce) throw new UsageError('--aud and --nonce are required')
  const signer = await readSigner(values['holder-key'], '--holder-key')
  const credentials =
    positionals.length > 0 && positionals[0] !== '-' ? positionals : (await readTokenArg('-', io)).split(/\s+/).filter(Boolean)
  const holder = didMethod(values.holder, '--holder')
  io.out(
    await createJwtVp({
      signer,
      version: version(values['vc-version']),
      credentials,
      audience: values.aud,
      nonce: values.nonce,
      ...(holder ? { holder: didForKey(signer.publicJwk, holder) } : {}),
    }),
  )
  return 0
}

function summary(c: VerifiedJwtVc): JsonObject {
  return {
    version: c.version,
    issuer: c.issuer,
    types: [...c.types],
    credential: c.credential,
    ...(c.status ? { status: { state: c.status.state } } : {}),
  }
}

function isPresentation(token: string): boolean {
  try {
    const { header, payload } = decodeJwsUnverified(token)
    return payload.vp !== undefined || String(header.typ).toLowerCase().endsWith('vp+jwt')
  } catch {
    return false
  }
}

async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'issuer-key': { type: 'string' },
      'trust-anchor': { type: 'string', multiple: true },
      did: { type: 'boolean' },
      aud: { type: 'string' },
      nonce: { type: 'string' },
      now: { type: 'string' },
    },
  })
  if (!values['issuer-key'] && !values['trust-anchor'] && !values.did)
    throw new UsageError('--issuer-key, --trust-anchor or --did is required')
  const token = await readTokenArg(positionals[0], io)
  const now = intOption(values.now, '--now')
  const issuerKeys: JwtVcIssuerKeyPolicy = {
    ...(values.did ? { did: true } : {}),
    ...(values['issuer-key'] ? { keys: await readPublicKeys(values['issuer-key'], '--issuer-key') } : {}),
    ...(values['trust-anchor']
      ? { trustAnchors: await Promise.all(values['trust-anchor'].map((p) => readTextFile(p, '--trust-anchor'))) }
      : {}),
  }
  const clock = now !== undefined ? { clock: { now: () => now * 1000 } } : {}
  try {
    if (isPresentation(token)) {
      if (!values.aud || !values.nonce) throw new UsageError('a presentation needs --aud and --nonce')
      const r = await verifyJwtVp(token, { issuerKeys, audience: values.aud, nonce: values.nonce, ...clock })
      const out = { valid: true, presentation: r.version, holder: r.holder ?? null, credentials: r.credentials.map(summary) }
      io.out(JSON.stringify(out, null, 2))
    } else {
      io.out(JSON.stringify({ valid: true, ...summary(await verifyJwtVc(token, { issuerKeys, ...clock })) }, null, 2))
    }
    return 0
  } catch (e) {
    return invalidReport(e, io)
  }
}

export const vc: Command = withSubcommands('vc', 'issue, present and verify W3C VCs as JWT (jwt_vc_json, vc+jwt)', HELP, {
  issue,
  present,
  verify,
})
