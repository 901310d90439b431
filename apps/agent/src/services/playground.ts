/**
 * The batch playground: the agent plays a wallet against its own OpenID4VCI endpoints (real requests through
 * its fetcher: offer → token → nonce → credential), with N holder keys against a configuration whose
 * batch_size is chosen, either one `proofs.jwt` per key or one proof carrying a key attestation signed by
 * the agent's development wallet provider (OpenID4VCI 1.0 Appendix D.1, or the EUDI TS3 profile). It reports
 * what came back, what it cost the wallet, which attested keys were wasted, every artifact, and the audit.
 */
import { AuditError, type AuditReport, auditBatch } from '@bonafide/audit'
import type { Clock, Fetcher, JsonObject } from '@bonafide/core'
import { signCompactJws } from '@bonafide/jose'
import { createLocalSigner, exportPublicJwk, generateKeyObject, jwkThumbprint, type PublicJwk, type Signer } from '@bonafide/keys'
import { decodeSdJwt } from '@bonafide/sd-jwt'
import { z } from 'zod'
import type { ConfigurationService } from './configurations.js'
import { issuesOf } from './configurations.js'
import type { KeyService } from './keys.js'
import type { OfferService } from './offers.js'
import { ApiProblem } from './problem.js'

export const zPlaygroundRun = z
  .object({
    holderKeys: z.int().min(1).max(20),
    batchSize: z.int().min(1).max(10),
    proofs: z.enum(['jwt', 'key_attestation']),
    profile: z.enum(['openid4vci', 'ts3']).default('openid4vci'),
  })
  .strict()
export type PlaygroundInput = z.output<typeof zPlaygroundRun>

export interface Artifact {
  readonly label: string
  readonly kind:
    | 'key_attestation'
    | 'proof'
    | 'token_response'
    | 'nonce_response'
    | 'credential_request'
    | 'credential_response'
    | 'credential'
  /** A compact token (JWT, SD-JWT), decoded by the console. */
  readonly encoded?: string
  /** A JSON message. */
  readonly value?: unknown
}

export interface PlaygroundResult {
  readonly configurationId: string
  readonly counters: {
    holderKeys: number
    batchSize: number
    proofsSent: number
    walletSignatures: number
    keysAttested: number
    credentials: number
    keysWasted: number
  }
  /** Thumbprints of attested keys the issuer saw but did not bind (the wallet must not use them again). */
  readonly wastedKeys: string[]
  readonly error: { error: string; error_description?: string } | null
  readonly artifacts: Artifact[]
  readonly audit: AuditReport | null
}

const PRE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
const VCT = 'urn:bonafide:playground:1'
const CLAIMS = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1984-01-26' }

interface Deps {
  readonly configs: ConfigurationService
  readonly offers: OfferService
  readonly keys: KeyService
  /** The agent's fetcher: its own origin is answered in process by its own app. */
  readonly fetch: Fetcher
  readonly publicUrl: string
  readonly clock: Clock
}

interface Holder {
  readonly signer: Signer
  readonly jwk: PublicJwk
}

export class PlaygroundService {
  readonly #d: Deps

  constructor(d: Deps) {
    this.#d = d
  }

  async run(input: unknown): Promise<PlaygroundResult> {
    const p = zPlaygroundRun.safeParse(input)
    if (!p.success) throw new ApiProblem(400, 'agent.playground_invalid', 'the playground run is invalid', issuesOf(p.error))
    const o = p.data
    const configurationId = await this.#configuration(o.batchSize)
    const offer = await this.#d.offers.create({ configurationIds: [configurationId], claims: CLAIMS, expiresInSeconds: 60 })
    const artifacts: Artifact[] = []
    const holders = Array.from({ length: o.holderKeys }, (_, i) => holder(i))
    const token = await this.#post('/token', new URLSearchParams({ grant_type: PRE, 'pre-authorized_code': codeOf(offer.offer) }))
    artifacts.push({ label: 'Token response', kind: 'token_response', value: token.json })
    const nonce = await this.#post('/nonce', undefined)
    artifacts.push({ label: 'Nonce response', kind: 'nonce_response', value: nonce.json })
    const cNonce = String(nonce.json.c_nonce)
    const { proofs, signatures, attested } =
      o.proofs === 'jwt'
        ? await this.#jwtProofs(holders.slice(0, o.batchSize), cNonce, artifacts)
        : await this.#attestedProof(holders, cNonce, o.profile, artifacts)
    const request = { credential_configuration_id: configurationId, proofs }
    artifacts.push({ label: 'Credential request', kind: 'credential_request', value: request })
    const res = await this.#post('/credential', JSON.stringify(request), String(token.json.access_token))
    artifacts.push({ label: `Credential response (HTTP ${res.status})`, kind: 'credential_response', value: res.json })
    const creds =
      res.status === 200 && Array.isArray(res.json.credentials)
        ? res.json.credentials.map((c: { credential: string }) => String(c.credential))
        : []
    for (const [i, c] of creds.entries()) artifacts.push({ label: `Credential ${i + 1}`, kind: 'credential', encoded: c })
    const bound = new Set(creds.map(cnfThumbprint))
    const wastedKeys = attested ? holders.map((h) => jwkThumbprint(h.jwk)).filter((t) => !bound.has(t)) : []
    return {
      configurationId,
      counters: {
        holderKeys: o.holderKeys,
        batchSize: o.batchSize,
        proofsSent: proofs.jwt.length,
        walletSignatures: signatures,
        keysAttested: attested ? holders.length : 0,
        credentials: creds.length,
        keysWasted: wastedKeys.length,
      },
      wastedKeys,
      error:
        res.status === 200
          ? null
          : {
              error: String(res.json.error ?? `http_${res.status}`),
              ...(res.json.error_description ? { error_description: String(res.json.error_description) } : {}),
            },
      artifacts,
      audit: auditOf(creds),
    }
  }

  /** One configuration per batch size (`playground_b3`…), created on first use: an SD-JWT VC without a schema. */
  async #configuration(batchSize: number): Promise<string> {
    const id = `playground_b${batchSize}`
    await this.#d.configs.create(
      {
        id,
        format: 'dc+sd-jwt',
        vct: VCT,
        batchSize,
        statusList: 'token',
        display: [{ name: `Playground (batch_size ${batchSize})`, locale: 'en' }],
      },
      { ifAbsent: true },
    )
    return id
  }

  async #jwtProofs(keys: Holder[], nonce: string, artifacts: Artifact[]) {
    const jwt = await Promise.all(
      keys.map((k) => signCompactJws({ typ: 'openid4vci-proof+jwt', jwk: { ...k.jwk } }, this.#proofClaims(nonce), k.signer)),
    )
    for (const [i, p] of jwt.entries()) artifacts.push({ label: `Proof ${i + 1} (key ${i + 1})`, kind: 'proof', encoded: p })
    return { proofs: { jwt }, signatures: jwt.length, attested: false }
  }

  /** One proof signed by attested_keys[0], carrying the attestation of all N keys (OpenID4VCI Appendix D.1 / TS3). */
  async #attestedProof(keys: Holder[], nonce: string, profile: 'openid4vci' | 'ts3', artifacts: Artifact[]) {
    const wp = await this.#d.keys.walletProvider()
    const now = Math.floor(this.#d.clock.now() / 1000)
    const attestation = await signCompactJws(
      { typ: profile === 'ts3' ? 'keyattestation+jwt' : 'key-attestation+jwt', x5c: [...wp.x5c] },
      {
        iat: now,
        exp: now + 300,
        attested_keys: keys.map((k) => ({ ...k.jwk })),
        key_storage: ['iso_18045_moderate'],
        user_authentication: ['iso_18045_moderate'],
        nonce,
      },
      wp.signer,
    )
    artifacts.push({
      label: `Key attestation (${keys.length} keys, signed by the wallet provider)`,
      kind: 'key_attestation',
      encoded: attestation,
    })
    const first = keys[0] as Holder
    // Signed by attested_keys[0], named by its jwk and never by kid: what OpenID4VCI (jwk or kid names an attested
    // key) and EUDI TS3 §2.2 (attested_keys[0], no kid) both accept, so either issuer profile takes it
    const header: JsonObject = { typ: 'openid4vci-proof+jwt', jwk: { ...first.jwk }, key_attestation: attestation }
    const proof = await signCompactJws(header, this.#proofClaims(nonce), first.signer)
    artifacts.push({ label: 'Proof (signed by attested key 1)', kind: 'proof', encoded: proof })
    return { proofs: { jwt: [proof] }, signatures: 1, attested: true }
  }

  #proofClaims(nonce: string) {
    return { aud: this.#d.publicUrl, iat: Math.floor(this.#d.clock.now() / 1000), nonce }
  }

  async #post(path: string, body: URLSearchParams | string | undefined, accessToken?: string) {
    const headers: Record<string, string> = {}
    if (body instanceof URLSearchParams) headers['content-type'] = 'application/x-www-form-urlencoded'
    else if (body !== undefined) headers['content-type'] = 'application/json'
    if (accessToken) headers.authorization = `Bearer ${accessToken}`
    const r = await this.#d.fetch(`${this.#d.publicUrl}${path}`, {
      method: 'POST',
      headers,
      ...(body !== undefined ? { body: String(body) } : {}),
    })
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(new TextDecoder().decode(r.body)) as Record<string, unknown>
    } catch {
      json = {}
    }
    if (path !== '/credential' && r.status !== 200)
      throw new ApiProblem(502, 'agent.playground_failed', `the issuer refused ${path}: ${String(json.error ?? r.status)}`)
    return { status: r.status, json }
  }
}

/** The audit of what came back; a copy the audit cannot parse is itself worth showing, not a failed run. */
function auditOf(creds: string[]): AuditReport | null {
  if (!creds.length) return null
  try {
    return auditBatch(creds)
  } catch (e) {
    if (e instanceof AuditError)
      return {
        verdict: 'linkable',
        copies: creds.length,
        format: 'sd-jwt-vc',
        findings: [],
        error: { code: e.code, message: e.message },
      } as unknown as AuditReport
    throw e
  }
}

function holder(i: number): Holder {
  const key = generateKeyObject('ES256')
  return { signer: createLocalSigner(key, { store: 'playground', id: String(i) }, 'ES256'), jwk: exportPublicJwk(key) }
}

function codeOf(offerUri: string): string {
  const q = new URL(offerUri.replace(/^openid-credential-offer:\/\//, 'https://x/')).searchParams.get('credential_offer')
  const o = JSON.parse(q ?? '{}') as { grants?: Record<string, { 'pre-authorized_code'?: string }> }
  return String(o.grants?.[PRE]?.['pre-authorized_code'])
}

/** The thumbprint of an SD-JWT VC's cnf.jwk (the holder key it was bound to), read with the sd-jwt package's decoder. */
function cnfThumbprint(sdJwt: string): string {
  const cnf = decodeSdJwt(sdJwt).jwt.payload.cnf as { jwk?: PublicJwk } | undefined
  return cnf?.jwk ? jwkThumbprint(cnf.jwk) : ''
}
