import type { KeyObject } from 'node:crypto'
import { expectOk, type Fetcher, hasOwn, isJsonObject, type JsonObject, parseJson, utf8Decode } from '@bonafide/core'
import { createX5cValidator, decodeX5c, type JwsHeader, type TrustAnchorInput, type X5cValidator } from '@bonafide/jose'
import { type PublicJwk, parsePublicJwk } from '@bonafide/keys'
import { SdJwtVcError } from '../errors.js'
import type { IssuerKeyResolver } from '../verify.js'

/**
 * How a verifier finds and trusts issuer keys (SD-JWT VC §5). Chosen by the verifier's policy,
 * never by the token: a mechanism not configured here is never used.
 */
export interface IssuerKeyPolicy {
  /** Static trusted keys (any issuer), or per issuer identifier. */
  keys?: readonly PublicJwk[] | Readonly<Record<string, readonly PublicJwk[]>>
  /** Inline x5c chains validated to these anchors. */
  trustAnchors?: readonly TrustAnchorInput[]
  /** With x5c: an HTTPS `iss` must appear in the leaf's subjectAltName (URI, or DNS host). Default true. */
  requireIssInSan?: boolean
  /** JWT VC Issuer Metadata (`/.well-known/jwt-vc-issuer`), fetched through this fetcher. */
  metadata?: { fetcher: Fetcher; cacheSeconds?: number /** Tests only: accept http issuers. */; allowHttpIssuer?: boolean }
  /** Any other mechanism (DIDs, federation): return keys, or undefined when it does not apply. */
  resolve?: (iss: string | undefined, header: JwsHeader) => Promise<readonly (PublicJwk | KeyObject)[] | undefined>
}

interface CachedJwks {
  keys: PublicJwk[]
  until: number
}

function pickByKid(keys: readonly PublicJwk[], kid: unknown): PublicJwk[] {
  if (typeof kid !== 'string') return [...keys]
  const hit = keys.filter((k) => k.kid === kid)
  return hit.length ? hit : []
}

function parseJwks(v: unknown): PublicJwk[] {
  if (!isJsonObject(v) || !Array.isArray(v.keys))
    throw new SdJwtVcError('sd_jwt_vc.issuer_metadata_invalid', 'jwks must hold a keys array')
  const out: PublicJwk[] = []
  for (const k of v.keys) {
    try {
      const jwk = parsePublicJwk(k)
      if (isJsonObject(k) && typeof k.kid === 'string') jwk.kid = k.kid
      out.push(jwk)
    } catch {
      // keys of unsupported types in a JWKS are skipped, not fatal
    }
  }
  return out
}

/** `/.well-known/jwt-vc-issuer` inserted between host and path (SD-JWT VC §6.1). */
export function jwtVcIssuerMetadataUrl(iss: string): string {
  const u = new URL(iss)
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new SdJwtVcError('sd_jwt_vc.issuer_untrusted', 'issuer is not an HTTPS URL')
  if (u.search || u.hash) throw new SdJwtVcError('sd_jwt_vc.issuer_untrusted', 'issuer URL has a query or fragment')
  const path = u.pathname === '/' ? '' : u.pathname
  return `${u.origin}/.well-known/jwt-vc-issuer${path}`
}

/** Build the issuer-key resolver for `verifySdJwt` from a policy. Caches x5c validation and fetched metadata. */
export function createIssuerKeyResolver(
  policy: IssuerKeyPolicy,
  defaultNowMs: () => number,
): ((header: JwsHeader, payload: JsonObject, nowMs?: () => number) => ReturnType<IssuerKeyResolver>) & {
  lastCertificate?: unknown
} {
  let x5c: X5cValidator | undefined
  const jwksCache = new Map<string, CachedJwks>()

  const fromMetadata = async (
    iss: string,
    m: NonNullable<IssuerKeyPolicy['metadata']>,
    nowMs: () => number,
  ): Promise<PublicJwk[]> => {
    const cached = jwksCache.get(iss)
    if (cached && cached.until > nowMs()) return cached.keys
    const res = expectOk(await m.fetcher(jwtVcIssuerMetadataUrl(iss), { headers: { accept: 'application/json' } }))
    const md = parseJson(utf8Decode(res.body))
    if (!isJsonObject(md) || md.issuer !== iss)
      throw new SdJwtVcError('sd_jwt_vc.issuer_metadata_invalid', 'metadata issuer does not equal iss')
    if ((md.jwks === undefined) === (md.jwks_uri === undefined)) {
      throw new SdJwtVcError('sd_jwt_vc.issuer_metadata_invalid', 'metadata must have exactly one of jwks and jwks_uri')
    }
    let jwks: unknown = md.jwks
    if (typeof md.jwks_uri === 'string') jwks = parseJson(utf8Decode(expectOk(await m.fetcher(md.jwks_uri)).body))
    const keys = parseJwks(jwks)
    const maxAge = /max-age=(\d+)/.exec(res.headers['cache-control'] ?? '')?.[1]
    jwksCache.set(iss, { keys, until: nowMs() + 1000 * Math.min(Number(maxAge ?? m.cacheSeconds ?? 300), 86_400) })
    return keys
  }

  // Synchronous where the policy needs no I/O (static keys, x5c): no promise per verification on those paths.
  return (header, payload, nowMs = defaultNowMs) => {
    const iss = typeof payload.iss === 'string' ? payload.iss : undefined
    if (header.x5c !== undefined && policy.trustAnchors) {
      x5c ??= createX5cValidator(policy.trustAnchors)
      const chain = x5c.validate(decodeX5c(header.x5c), nowMs())
      if (iss?.startsWith('https://') && policy.requireIssInSan !== false) {
        const san = chain.leaf.subjectAltName ?? ''
        const host = new URL(iss).hostname
        if (!san.split(', ').some((e) => e === `URI:${iss}` || e === `DNS:${host}`)) {
          throw new SdJwtVcError('sd_jwt_vc.issuer_untrusted', 'iss is not a subjectAltName of the x5c leaf')
        }
      }
      return chain.leafKey
    }
    if (policy.resolve) {
      return Promise.resolve(policy.resolve(iss, header)).then((keys) => keys ?? afterResolve(header, iss, nowMs))
    }
    return afterResolve(header, iss, nowMs)
  }

  function afterResolve(
    header: JwsHeader,
    iss: string | undefined,
    nowMs: () => number,
  ): readonly (PublicJwk | KeyObject)[] | Promise<readonly (PublicJwk | KeyObject)[]> {
    if (policy.metadata && (iss?.startsWith('https://') || (policy.metadata.allowHttpIssuer && iss?.startsWith('http://'))))
      return fromMetadata(iss, policy.metadata, nowMs).then((keys) => pickByKid(keys, header.kid))
    if (policy.keys) {
      const byIss = policy.keys as Readonly<Record<string, readonly PublicJwk[]>>
      const list = Array.isArray(policy.keys) ? policy.keys : iss && hasOwn(byIss, iss) ? (byIss[iss] ?? []) : []
      const byKid = pickByKid(list, header.kid)
      return byKid.length ? byKid : [...list]
    }
    throw new SdJwtVcError('sd_jwt_vc.issuer_untrusted', 'no permitted key discovery mechanism applies to this issuer')
  }
}
