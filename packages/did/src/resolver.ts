import type { Fetcher } from '@bonafide/core'
import type { PublicJwk } from '@bonafide/keys'
import {
  checkDidSyntax,
  type DidDocument,
  resolveDid,
  selectVerificationMethod,
  type VerificationMethod,
  type VerificationRelationship,
} from './did.js'
import { resolveDidWeb } from './did-web.js'
import { DidError } from './errors.js'

/** Resolves DIDs to documents; did:jwk and did:key locally, did:web over the injected fetcher. */
export interface DidResolver {
  resolve(did: string): Promise<DidDocument>
}

export interface DidResolverOptions {
  /** Needed for did:web (use `createSafeFetcher()`); without it did:web is refused. */
  fetcher?: Fetcher
  /** DID methods accepted (default: jwk, key, and web when a fetcher is given). */
  methods?: readonly ('jwk' | 'key' | 'web')[]
}

/**
 * A resolver for did:jwk, did:key and did:web.
 * @example
 * const resolver = createDidResolver({ fetcher: createSafeFetcher() })
 * const doc = await resolver.resolve('did:web:verifier.example')
 */
export function createDidResolver(o: DidResolverOptions = {}): DidResolver {
  const methods = o.methods ?? (o.fetcher ? ['jwk', 'key', 'web'] : ['jwk', 'key'])
  return {
    async resolve(did: string): Promise<DidDocument> {
      checkDidSyntax(did)
      const method = did.slice(4, did.indexOf(':', 4))
      if (!(methods as readonly string[]).includes(method))
        throw new DidError('did.method_unsupported', 'DID method not accepted')
      if (method !== 'web') return resolveDid(did)
      if (!o.fetcher) throw new DidError('did.method_unsupported', 'did:web needs a fetcher')
      return resolveDidWeb(did, { fetcher: o.fetcher })
    },
  }
}

/** `resolveDid` that also resolves did:web (with `fetcher`). */
export function resolveDidAsync(did: string, o: DidResolverOptions = {}): Promise<DidDocument> {
  return createDidResolver(o).resolve(did)
}

/** The verification method behind a DID URL for a purpose, resolving any supported method (did:web too). */
export async function resolveDidMethodAsync(
  didUrl: string,
  o: { purpose: VerificationRelationship; resolver?: DidResolver; fetcher?: Fetcher },
): Promise<VerificationMethod> {
  if (typeof didUrl !== 'string') throw new DidError('did.invalid', 'not a DID URL')
  const hash = didUrl.indexOf('#')
  const did = hash < 0 ? didUrl : didUrl.slice(0, hash)
  const resolver = o.resolver ?? createDidResolver(o.fetcher ? { fetcher: o.fetcher } : {})
  return selectVerificationMethod(await resolver.resolve(did), didUrl, o.purpose)
}

/** `resolveDidKey` for any supported method: the public key behind a DID URL, listed under `purpose`. */
export async function resolveDidKeyAsync(
  didUrl: string,
  o: { purpose: VerificationRelationship; resolver?: DidResolver; fetcher?: Fetcher },
): Promise<PublicJwk> {
  return (await resolveDidMethodAsync(didUrl, o)).publicKeyJwk
}
