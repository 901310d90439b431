import { randomBytes, X509Certificate } from 'node:crypto'
import type { Clock } from '@bonafide/core'
import { resolveDid } from '@bonafide/did'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { z } from 'zod'
import type { Db } from '../db/database.js'
import { ApiProblem, notFound } from './problem.js'

/**
 * What the agent trusts, beyond its own issuer and root (always trusted, so issue → hold → verify works
 * with no setup): X.509 roots (issuers' certificate chains, mdoc IACAs, status lists), issuer keys (JWK) and
 * DIDs (did:jwk, did:key) for credentials; verifier roots, for the holder to trust verifiers' request objects;
 * wallet providers, for key and wallet attestations.
 */
export const TRUST_KINDS = ['x509_root', 'issuer_key', 'did', 'verifier_root', 'wallet_provider'] as const
export type TrustKind = (typeof TRUST_KINDS)[number]

export const zTrustInput = z.strictObject({
  kind: z.enum(TRUST_KINDS),
  /** PEM for roots; a public JWK (object) for issuer keys; a DID string. */
  value: z.union([z.string().min(1).max(16_384), z.record(z.string(), z.unknown())]),
  label: z.string().min(1).max(200).optional(),
})
export type TrustInput = z.output<typeof zTrustInput>

export interface TrustEntry {
  readonly id: string
  readonly kind: TrustKind
  readonly value: string
  readonly label: string | null
  readonly createdAt: number
}

/** The trust material, grouped, as the validators take it. */
export interface TrustMaterial {
  readonly roots: readonly string[]
  readonly issuerKeys: readonly PublicJwk[]
  readonly verifierRoots: readonly string[]
  readonly walletProviders: readonly string[]
}

const invalid = (message: string) => new ApiProblem(400, 'agent.trust_invalid', message)

/** Normalize and check a value before it is stored: a certificate that parses, a public JWK, a DID that resolves. */
function normalize(kind: TrustKind, value: TrustInput['value']): string {
  if (kind === 'issuer_key') {
    try {
      return JSON.stringify(parsePublicJwk(typeof value === 'string' ? JSON.parse(value) : value))
    } catch {
      throw invalid('the issuer key must be a public JWK (EC P-256/384/521 or Ed25519)')
    }
  }
  if (typeof value !== 'string') throw invalid(`a ${kind} value is a string`)
  if (kind === 'did') {
    try {
      resolveDid(value)
      return value
    } catch {
      throw invalid('the DID must be a did:jwk or did:key that resolves')
    }
  }
  // PEM certificate (a CA): X.509 roots, verifier roots, wallet providers (a PEM root or a JWK)
  if (kind === 'wallet_provider' && value.trimStart().startsWith('{')) return normalize('issuer_key', value)
  try {
    const c = new X509Certificate(value)
    if (!c.ca) throw new Error('not a CA')
    return c.toString()
  } catch {
    throw invalid('the value must be a PEM CA certificate')
  }
}

/** The agent's trust list (PostgreSQL), with the agent's own root always in it. */
export class TrustService {
  readonly #db: Db
  readonly #clock: Clock
  readonly #ownRoot: () => Promise<string>
  #material: Promise<TrustMaterial> | undefined
  /** Bumped on every change: validators built from an older version are rebuilt. */
  version = 0

  readonly #publish: () => Promise<void>

  constructor(o: { db: Db; clock: Clock; ownRoot: () => Promise<string>; publish?: () => Promise<void> }) {
    this.#publish = o.publish ?? (async () => undefined)
    this.#db = o.db
    this.#clock = o.clock
    this.#ownRoot = o.ownRoot
  }

  async add(input: TrustInput): Promise<TrustEntry> {
    const value = normalize(input.kind, input.value)
    const row = {
      id: `trust_${randomBytes(9).toString('base64url')}`,
      kind: input.kind,
      value,
      label: input.label ?? null,
      created_at: this.#clock.now(),
    }
    const done = await this.#db
      .insertInto('verifier_trust')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!done) throw new ApiProblem(409, 'agent.trust_exists', 'this entry is already trusted')
    this.invalidate()
    await this.#publish()
    return toEntry(done)
  }

  async list(kind?: TrustKind): Promise<TrustEntry[]> {
    let q = this.#db.selectFrom('verifier_trust').selectAll().orderBy('created_at').orderBy('id')
    if (kind) q = q.where('kind', '=', kind)
    return (await q.execute()).map(toEntry)
  }

  async remove(id: string): Promise<void> {
    const r = await this.#db.deleteFrom('verifier_trust').where('id', '=', id).executeTakeFirst()
    if (Number(r.numDeletedRows) === 0) throw notFound('trust entry')
    this.invalidate()
    await this.#publish()
  }

  /** Drop the cached material (a change here or on another instance). */
  invalidate(): void {
    this.version++
    this.#material = undefined
  }

  /** Roots and keys, with the agent's own root first (cached until a change). */
  material(): Promise<TrustMaterial> {
    this.#material ??= this.#load().catch((e) => {
      this.#material = undefined
      throw e
    })
    return this.#material
  }

  async #load(): Promise<TrustMaterial> {
    const own = await this.#ownRoot()
    const rows = await this.list()
    const of = (k: TrustKind) => rows.filter((r) => r.kind === k).map((r) => r.value)
    const dids = of('did').flatMap((d) => resolveDid(d).verificationMethod.map((vm) => vm.publicKeyJwk as PublicJwk))
    return {
      roots: [own, ...of('x509_root')],
      issuerKeys: [...of('issuer_key').map((v) => JSON.parse(v) as PublicJwk), ...dids],
      verifierRoots: [own, ...of('verifier_root')],
      walletProviders: of('wallet_provider'),
    }
  }
}

function toEntry(r: { id: string; kind: string; value: string; label: string | null; created_at: number }): TrustEntry {
  return { id: r.id, kind: r.kind as TrustKind, value: r.value, label: r.label, createdAt: r.created_at }
}

const ISSUER_UNTRUSTED =
  /^(sd_jwt_vc\.issuer_untrusted|sd_jwt\.issuer_key_unresolved|mdoc\.issuer_untrusted|jwt_vc\.issuer_untrusted|jose\.x5c_(untrusted|self_signed))$/

const VERIFIER_HINT =
  'the verifier is not trusted: add its root with POST /v1/trust {"kind":"verifier_root","value":"<PEM>"} (a Bonafide agent serves its root at /trust-anchor.pem)'

/**
 * A refusal because an issuer or verifier is not trusted, as a problem that says so and how to trust it
 * (`agent.issuer_untrusted` / `agent.verifier_untrusted`); other errors pass through.
 */
export function untrustedProblem(e: unknown, side: 'issuer' | 'verifier'): unknown {
  const x = e as { code?: unknown; details?: { code?: unknown } }
  const code = typeof x?.details?.code === 'string' ? x.details.code : x?.code
  if (typeof code !== 'string' || !trustHintFor(code)) return e
  const detail = `the ${side} is not trusted (${code})`
  return new ApiProblem(
    400,
    `agent.${side}_untrusted`,
    detail,
    undefined,
    side === 'verifier' ? VERIFIER_HINT : trustHintFor(code),
  )
}

/** Which party an error code says is not trusted (the codes of every library that checks trust), if any. */
export function untrustedParty(code: string): 'issuer' | 'verifier' | undefined {
  if (code === 'openid4vp.client_untrusted') return 'verifier'
  return ISSUER_UNTRUSTED.test(code) ? 'issuer' : undefined
}

/** How to trust what was refused as untrusted (an issuer, a verifier), for the problem's `hint`. */
export function trustHintFor(code: string): string | undefined {
  if (code === 'openid4vp.client_untrusted')
    return 'the verifier is not trusted: add its root with POST /v1/trust {"kind":"verifier_root","value":"<PEM>"} (a Bonafide agent serves its root at /trust-anchor.pem)'
  if (ISSUER_UNTRUSTED.test(code))
    return 'the issuer is not trusted: add its root with POST /v1/trust {"kind":"x509_root","value":"<PEM>"} or its key with {"kind":"issuer_key","value":<JWK>}'
  return undefined
}
