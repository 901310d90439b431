import { parseArgs } from 'node:util'
import { isJsonObject, isVcError, type JsonObject } from '@bonafide/core'
import { type JsonSchemaDocument, parseSchemaDocument, type SchemaReport, SchemaValidator } from '@bonafide/schema'
import { issueSdJwtVc, issueSdJwtVcBatch, presentSdJwt, verifySdJwtVc } from '@bonafide/sd-jwt'
import { intOption, listOption, readJsonFile, readTextFile, readTokenArg } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { readPublicKeys, readSigner } from '../keyfile.js'
import { invalidReport, withSubcommands } from '../subcommands.js'
import { formatSchemaReport } from './schema.js'

const HELP = `bonafide sd-jwt issue   --issuer-key FILE --iss URL --vct TYPE --claims FILE [--sd PATH,PATH…] [--holder-key FILE] [--exp SECONDS] [--batch N] [--x5c PEM] [--schema FILE]
bonafide sd-jwt present TOKEN|- [--disclose PATH,PATH…|--disclose-all] [--holder-key FILE --aud AUD --nonce NONCE]
bonafide sd-jwt verify  TOKEN|- (--issuer-key FILE | --trust-anchor PEM) [--aud AUD --nonce NONCE] [--require-kb] [--now UNIX]

Paths are dotted: address.street_address, nationalities.0, degrees.*.type.
--holder-key takes a public or private JWK (for a batch: a JSON array or JWKS with one key per credential).
--schema checks the claims against a JSON Schema 2020-12 document before signing: when they break it,
nothing is signed, every failing field is listed on stderr and the exit code is 1.
verify prints {"valid":true,"claims":{…},"kb":…} or {"valid":false,"error":{"code":…,"message":…}};
exit 0 when valid, 1 when invalid, 2 on bad usage.`

async function issue(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'issuer-key': { type: 'string' },
      iss: { type: 'string' },
      vct: { type: 'string' },
      claims: { type: 'string' },
      sd: { type: 'string' },
      'holder-key': { type: 'string' },
      exp: { type: 'string' },
      batch: { type: 'string' },
      x5c: { type: 'string' },
      schema: { type: 'string' },
    },
  })
  if (!values.iss || !values.vct) throw new UsageError('--iss and --vct are required')
  const signer = await readSigner(values['issuer-key'], '--issuer-key')
  const claims = await readJsonFile(values.claims, '--claims')
  if (!isJsonObject(claims)) throw new UsageError('--claims must hold a JSON object')
  if (values.schema) {
    const report = (await readClaimsSchema(values.schema)).check(claims)
    if (!report.valid) return schemaRefused(report, io)
  }
  const batch = intOption(values.batch, '--batch', 1) as number
  if (batch < 1 || batch > 1000) throw new UsageError('--batch must be between 1 and 1000')
  const holders = values['holder-key'] ? await readPublicKeys(values['holder-key'], '--holder-key') : []
  if (holders.length > 0 && holders.length !== batch)
    throw new UsageError(`--holder-key holds ${holders.length} keys for a batch of ${batch}`)
  const exp = intOption(values.exp, '--exp')
  const x5c = values.x5c ? pemChain(await readTextFile(values.x5c, '--x5c')) : undefined
  const shared = {
    signer,
    iss: values.iss,
    vct: values.vct,
    claims: claims as JsonObject,
    disclosable: listOption(values.sd),
    ...(exp !== undefined ? { validForSeconds: exp } : {}),
    ...(x5c ? { header: { x5c } } : { header: { kid: signer.keyRef.id } }),
  }
  if (batch === 1) {
    io.out(await issueSdJwtVc({ ...shared, ...(holders[0] ? { holderKey: holders[0] } : {}) }))
  } else {
    const entries = Array.from({ length: batch }, (_, i) => (holders[i] ? { holderKey: holders[i] } : {}))
    const { credentials } = await issueSdJwtVcBatch({ ...shared, entries })
    io.out(credentials.join('\n'))
  }
  return 0
}

/** A `--schema FILE`: the JSON Schema 2020-12 document, compiled now (a bad schema is bad usage, exit 2). */
export async function readClaimsSchema(
  path: string,
): Promise<{ doc: JsonSchemaDocument; check: (data: unknown) => SchemaReport }> {
  try {
    const doc = parseSchemaDocument(await readJsonFile(path, '--schema'))
    return { doc, check: new SchemaValidator().compile(doc) }
  } catch (e) {
    if (isVcError(e)) throw new UsageError(`--schema file ${path}: ${e.code}: ${e.message}`)
    throw e
  }
}

/** Claims that break `--schema`: every failing field on stderr (paths and reasons, never values), exit 1. */
export function schemaRefused(report: SchemaReport, io: Io): number {
  io.err(`the claims do not match --schema; nothing was signed\n${formatSchemaReport(report)}`)
  return 1
}

/** PEM certificates → x5c (standard base64 DER, leaf first as in the file). */
export function pemChain(pem: string): string[] {
  const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
    (m[1] as string).replace(/\s+/g, ''),
  )
  if (certs.length === 0) throw new UsageError('no PEM certificate found')
  return certs
}

async function present(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      disclose: { type: 'string' },
      'disclose-all': { type: 'boolean' },
      'holder-key': { type: 'string' },
      aud: { type: 'string' },
      nonce: { type: 'string' },
    },
  })
  const token = await readTokenArg(positionals[0], io)
  const kbAsked = values['holder-key'] || values.aud || values.nonce
  if (kbAsked && !(values['holder-key'] && values.aud && values.nonce))
    throw new UsageError('key binding needs --holder-key, --aud and --nonce together')
  const kb = kbAsked
    ? { signer: await readSigner(values['holder-key'], '--holder-key'), aud: values.aud as string, nonce: values.nonce as string }
    : undefined
  io.out(
    await presentSdJwt(token, { disclose: values['disclose-all'] ? 'all' : listOption(values.disclose), ...(kb ? { kb } : {}) }),
  )
  return 0
}

async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'issuer-key': { type: 'string' },
      'trust-anchor': { type: 'string', multiple: true },
      aud: { type: 'string' },
      nonce: { type: 'string' },
      'require-kb': { type: 'boolean' },
      now: { type: 'string' },
    },
  })
  if (!values['issuer-key'] && !values['trust-anchor']) throw new UsageError('--issuer-key or --trust-anchor is required')
  const token = await readTokenArg(positionals[0], io)
  const now = intOption(values.now, '--now')
  const issuerKeys = values['issuer-key']
    ? { keys: await readPublicKeys(values['issuer-key'], '--issuer-key') }
    : { trustAnchors: await Promise.all((values['trust-anchor'] ?? []).map((p) => readTextFile(p, '--trust-anchor'))) }
  try {
    const r = await verifySdJwtVc(token, {
      issuerKeys,
      ...(now !== undefined ? { clock: { now: () => now * 1000 } } : {}),
      kb: {
        required: values['require-kb'] === true,
        ...(values.aud ? { aud: values.aud } : {}),
        ...(values.nonce ? { nonce: values.nonce } : {}),
      },
    })
    io.out(JSON.stringify({ valid: true, iss: r.iss, vct: r.vct, claims: r.claims, kb: r.kb?.payload ?? null }, null, 2))
    return 0
  } catch (e) {
    return invalidReport(e, io)
  }
}

export const sdJwt: Command = withSubcommands('sd-jwt', 'issue, present and verify SD-JWT VCs', HELP, { issue, present, verify })
