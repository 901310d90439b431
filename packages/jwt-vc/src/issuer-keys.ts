import type { KeyObject } from 'node:crypto'
import { hasOwn, isVcError } from '@bonafide/core'
import { type DidDocument, resolveDidKey, type VerificationRelationship } from '@bonafide/did'
import { createX5cValidator, decodeX5c, type JwsHeader, type TrustAnchorInput, type X5cValidator } from '@bonafide/jose'
import type { PublicJwk } from '@bonafide/keys'
import { JwtVcError } from './errors.js'

/** Resolve a DID to its document (did:jwk and did:key locally by default; inject one for other methods). */
export type DidDocumentResolver = (did: string) => DidDocument | Promise<DidDocument>

/**
 * How a verifier finds and trusts issuer keys. Chosen by the verifier, never by the token: a
 * mechanism not configured here is never used.
 */
export interface JwtVcIssuerKeyPolicy {
  /**
   * DID issuers (VC-JOSE-COSE §4.1, §4.2): `kid` is a DID URL of the issuer DID (or absent when the DID
   * has one method), and the method MUST be listed under `assertionMethod`.
   */
  did?: boolean | { resolve?: DidDocumentResolver }
  /** Static trusted keys (any issuer), or per issuer identifier. */
  keys?: readonly PublicJwk[] | Readonly<Record<string, readonly PublicJwk[]>>
  /** `x5c` chains validated to these anchors. */
  trustAnchors?: readonly TrustAnchorInput[]
  /** With x5c: an HTTPS issuer must be a subjectAltName (URI, or DNS host) of the leaf. Default true. */
  requireIssuerInSan?: boolean
  /** Any other mechanism: return keys, or undefined when it does not apply. */
  resolve?: (issuer: string, header: JwsHeader) => Promise<readonly (PublicJwk | KeyObject)[] | undefined>
}

type Keys = readonly (PublicJwk | KeyObject)[]

/** Synchronous unless an injected resolver is asynchronous (verification stays free of needless awaits). */
export type IssuerKeyResolver = (issuer: string, header: JwsHeader, nowMs: number) => Keys | Promise<Keys>

const didKeyCache = new Map<string, PublicJwk>()
const DID_CACHE_MAX = 1000

function didError(e: unknown, purpose: VerificationRelationship): never {
  if (isVcError(e, 'did.relationship_missing'))
    throw new JwtVcError('jwt_vc.key_not_authorized', `the key is not listed under ${purpose}`, { cause: e })
  if (isVcError(e, 'did.fragment_unknown'))
    throw new JwtVcError('jwt_vc.kid_invalid', 'kid names no verification method of the DID', { cause: e })
  if (e instanceof JwtVcError) throw e
  const code = purpose === 'assertionMethod' ? 'jwt_vc.issuer_untrusted' : 'jwt_vc.holder_binding_missing'
  throw new JwtVcError(code, 'the DID could not be resolved', { cause: e })
}

async function viaResolver(didUrl: string, purpose: VerificationRelationship, resolve: DidDocumentResolver): Promise<PublicJwk> {
  try {
    const hash = didUrl.indexOf('#')
    const doc = await resolve(hash < 0 ? didUrl : didUrl.slice(0, hash))
    return resolveDidKey(didUrl, { purpose, resolve: () => doc })
  } catch (e) {
    return didError(e, purpose)
  }
}

/**
 * The public key a DID URL names for a verification relationship (DID Core §5.3). The default
 * resolver (did:jwk, did:key) is local and deterministic, so it answers synchronously from a cache;
 * an injected resolver may be asynchronous and is not cached here.
 * Errors: `jwt_vc.key_not_authorized` (method not under `purpose`), `jwt_vc.kid_invalid`, `jwt_vc.issuer_untrusted`.
 */
export function resolveDidPublicKey(
  didUrl: string,
  purpose: VerificationRelationship,
  resolve?: DidDocumentResolver,
): PublicJwk | Promise<PublicJwk> {
  if (resolve) return viaResolver(didUrl, purpose, resolve)
  const cacheKey = `${purpose} ${didUrl}`
  const hit = didKeyCache.get(cacheKey)
  if (hit) return hit
  let jwk: PublicJwk
  try {
    jwk = resolveDidKey(didUrl, { purpose })
  } catch (e) {
    return didError(e, purpose)
  }
  if (didKeyCache.size >= DID_CACHE_MAX) didKeyCache.clear()
  didKeyCache.set(cacheKey, jwk)
  return jwk
}

/** `kid` for a DID issuer: absent, a DID URL of that DID, or a bare fragment (VC-JOSE-COSE §4.1). */
function didUrlFor(issuer: string, kid: unknown): string {
  if (kid === undefined) return issuer
  if (typeof kid !== 'string' || kid.length > 4096) throw new JwtVcError('jwt_vc.kid_invalid', 'kid must be a string')
  if (kid.startsWith('#')) return `${issuer}${kid}`
  if (!kid.startsWith(`${issuer}#`)) throw new JwtVcError('jwt_vc.kid_invalid', 'kid is not a DID URL of the issuer DID')
  return kid
}

function staticKeys(policy: JwtVcIssuerKeyPolicy, issuer: string, kid: unknown): PublicJwk[] | undefined {
  if (!policy.keys) return undefined
  const byIssuer = policy.keys as Readonly<Record<string, readonly PublicJwk[]>>
  const list = Array.isArray(policy.keys) ? policy.keys : hasOwn(byIssuer, issuer) ? (byIssuer[issuer] ?? []) : []
  const hit = typeof kid === 'string' ? list.filter((k: PublicJwk) => k.kid === kid) : []
  return hit.length ? hit : [...list]
}

function checkSan(issuer: string, san: string | undefined): void {
  const host = new URL(issuer).hostname
  if (!(san ?? '').split(', ').some((e) => e === `URI:${issuer}` || e === `DNS:${host}`))
    throw new JwtVcError('jwt_vc.issuer_untrusted', 'the issuer is not a subjectAltName of the x5c leaf')
}

/** Build the issuer-key resolver for a policy; x5c validators are built once per policy. */
export function createIssuerKeyResolver(policy: JwtVcIssuerKeyPolicy): IssuerKeyResolver {
  let x5c: X5cValidator | undefined
  const didResolve = typeof policy.did === 'object' ? policy.did.resolve : undefined
  const fallback = (issuer: string, header: JwsHeader): Keys => {
    const keys = staticKeys(policy, issuer, header.kid)
    if (keys?.length) return keys
    throw new JwtVcError('jwt_vc.issuer_untrusted', 'no permitted key discovery mechanism applies to this issuer')
  }
  return (issuer, header, nowMs) => {
    if (policy.did && issuer.startsWith('did:')) {
      const k = resolveDidPublicKey(didUrlFor(issuer, header.kid), 'assertionMethod', didResolve)
      return k instanceof Promise ? k.then((x) => [x]) : [k]
    }
    if (header.x5c !== undefined && policy.trustAnchors) {
      x5c ??= createX5cValidator(policy.trustAnchors)
      let chain: ReturnType<X5cValidator['validate']>
      try {
        chain = x5c.validate(decodeX5c(header.x5c), nowMs)
      } catch (e) {
        throw new JwtVcError('jwt_vc.issuer_untrusted', 'the x5c chain is not trusted', { cause: e })
      }
      if (issuer.startsWith('https://') && policy.requireIssuerInSan !== false) checkSan(issuer, chain.leaf.subjectAltName)
      return [chain.leafKey]
    }
    if (policy.resolve) return policy.resolve(issuer, header).then((keys) => keys ?? fallback(issuer, header))
    return fallback(issuer, header)
  }
}

const resolvers = new WeakMap<JwtVcIssuerKeyPolicy, IssuerKeyResolver>()

/** One resolver per policy object, so chains and keys are prepared once per verifier. */
export function issuerKeyResolverFor(policy: JwtVcIssuerKeyPolicy): IssuerKeyResolver {
  let r = resolvers.get(policy)
  if (!r) resolvers.set(policy, (r = createIssuerKeyResolver(policy)))
  return r
}
