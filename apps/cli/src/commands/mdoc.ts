import { Buffer } from 'node:buffer'
import { parseArgs } from 'node:util'
import { b64uDecode, b64uEncode, hexDecode, isJsonObject, type JsonObject } from '@bonafide/core'
import { type CborValue, decodeCbor } from '@bonafide/cose'
import {
  dcApiSessionTranscript,
  issueMdoc,
  openid4vpSessionTranscript,
  presentMdoc,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '@bonafide/mdoc'
import { intOption, listOption, readJsonFile, readTextFile, readTokenArg } from '../args.js'
import { type Command, type Io, UsageError } from '../io.js'
import { publicPart, readSigner } from '../keyfile.js'
import { invalidReport, withSubcommands } from '../subcommands.js'
import { pemChain } from './sd-jwt.js'

const HELP = `bonafide mdoc issue   --issuer-key FILE --issuer-cert PEM --doctype DT --claims FILE --holder-key FILE
bonafide mdoc present ISSUER_SIGNED|- --holder-key FILE --disclose NS/ELEMENT,… (--client-id ID --nonce N --response-uri URI [--jwk-thumbprint HEX] | --origin ORIGIN --nonce N)
bonafide mdoc verify  INPUT|- --trust-anchor PEM [--client-id ID --nonce N --response-uri URI [--jwk-thumbprint HEX] | --origin ORIGIN --nonce N] [--now UNIX]

--claims is {namespace: {element: value}}; YYYY-MM-DD strings become full-date. Input and output are base64url
(hex accepted). verify takes a DeviceResponse (with the transcript parameters) or an IssuerSigned, and prints
{"valid":true,"docType":…,"claims":{namespace:{…}},…} or {"valid":false,"error":{"code","message"}};
exit 0 when valid, 1 when invalid, 2 on bad usage.`

/** hex or base64url → bytes. */
export function mdocBytes(text: string): Uint8Array {
  const t = text.trim()
  return /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? hexDecode(t) : b64uDecode(t)
}

const transcriptOptions = {
  'client-id': { type: 'string' },
  nonce: { type: 'string' },
  'response-uri': { type: 'string' },
  'jwk-thumbprint': { type: 'string' },
  origin: { type: 'string' },
} as const

function transcriptFrom(v: Record<string, string | boolean | string[] | undefined>, required: boolean): CborValue | undefined {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined)
  if (s('origin')) {
    if (!s('nonce')) throw new UsageError('--origin needs --nonce')
    return dcApiSessionTranscript({ origin: s('origin') as string, nonce: s('nonce') as string })
  }
  if (s('client-id') || s('response-uri')) {
    if (!s('client-id') || !s('nonce') || !s('response-uri'))
      throw new UsageError('--client-id, --nonce and --response-uri go together')
    const t = s('jwk-thumbprint')
    if (t !== undefined && !/^[0-9a-fA-F]{64}$/.test(t)) throw new UsageError('--jwk-thumbprint is 32 bytes of hex')
    return openid4vpSessionTranscript({
      clientId: s('client-id') as string,
      nonce: s('nonce') as string,
      responseUri: s('response-uri') as string,
      jwkThumbprint: t ? hexDecode(t) : null,
    })
  }
  if (required) throw new UsageError('give --client-id/--nonce/--response-uri (OpenID4VP) or --origin/--nonce (DC API)')
  return undefined
}

async function issue(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'issuer-key': { type: 'string' },
      'issuer-cert': { type: 'string' },
      doctype: { type: 'string' },
      claims: { type: 'string' },
      'holder-key': { type: 'string' },
    },
  })
  if (!values.doctype) throw new UsageError('--doctype is required')
  if (!values['issuer-cert']) throw new UsageError('--issuer-cert is required')
  const signer = await readSigner(values['issuer-key'], '--issuer-key')
  const x5chain = pemChain(await readTextFile(values['issuer-cert'], '--issuer-cert')).map(
    (c) => new Uint8Array(Buffer.from(c, 'base64')),
  )
  const claims = await readJsonFile(values.claims, '--claims')
  if (!isJsonObject(claims) || !Object.values(claims).every(isJsonObject))
    throw new UsageError('--claims must be {namespace: {element: value}}')
  const deviceKey = publicPart(await readJsonFile(values['holder-key'], '--holder-key'), '--holder-key')
  const bytes = await issueMdoc({
    signer,
    x5chain,
    docType: values.doctype,
    claims: claims as Record<string, JsonObject>,
    deviceKey,
  })
  io.out(b64uEncode(bytes))
  return 0
}

async function present(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'holder-key': { type: 'string' }, disclose: { type: 'string' }, ...transcriptOptions },
  })
  const issuerSigned = mdocBytes(await readTokenArg(positionals[0], io))
  const disclose: Record<string, string[]> = {}
  for (const p of listOption(values.disclose)) {
    const i = p.lastIndexOf('/')
    if (i <= 0 || i === p.length - 1) throw new UsageError('--disclose takes NAMESPACE/ELEMENT items')
    ;(disclose[p.slice(0, i)] ??= []).push(p.slice(i + 1))
  }
  if (Object.keys(disclose).length === 0) throw new UsageError('--disclose is required')
  const sessionTranscript = transcriptFrom(values, true) as CborValue
  const deviceSigner = await readSigner(values['holder-key'], '--holder-key')
  io.out(b64uEncode(await presentMdoc({ issuerSigned, disclose, deviceSigner, sessionTranscript })))
  return 0
}

async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'trust-anchor': { type: 'string', multiple: true }, now: { type: 'string' }, ...transcriptOptions },
  })
  if (!values['trust-anchor']?.length) throw new UsageError('--trust-anchor is required')
  const trustAnchors = await Promise.all(values['trust-anchor'].map((p) => readTextFile(p, '--trust-anchor')))
  const now = intOption(values.now, '--now')
  const clock = now !== undefined ? { now: () => now * 1000 } : undefined
  const sessionTranscript = transcriptFrom(values, false)
  const input = await readTokenArg(positionals[0], io)
  try {
    const bytes = mdocBytes(input)
    const top = decodeCbor(bytes)
    const isDeviceResponse = top instanceof Map && top.has('documents')
    if (isDeviceResponse && !sessionTranscript) throw new UsageError('a DeviceResponse needs the transcript parameters')
    const docs = isDeviceResponse
      ? verifyDeviceResponse(bytes, {
          trustAnchors,
          sessionTranscript: sessionTranscript as CborValue,
          ...(clock ? { clock } : {}),
        }).documents
      : [verifyIssuerSigned(bytes, { trustAnchors, ...(clock ? { clock } : {}) })]
    const d = docs[0]
    io.out(
      JSON.stringify(
        {
          valid: true,
          docType: d?.docType,
          claims: d?.claims ?? {},
          validity: d?.validity,
          issuer: d?.issuerSubject,
          documents: docs.length,
        },
        null,
        2,
      ),
    )
    return 0
  } catch (e) {
    return invalidReport(e, io)
  }
}

export const mdoc: Command = withSubcommands('mdoc', 'issue, present and verify ISO 18013-5 mdocs', HELP, {
  issue,
  present,
  verify,
})
