import type { KeyObject } from 'node:crypto'
import { createX5cValidator, decodeX5c, type TrustAnchorInput, type X5cValidator } from '@bonafide/jose'
import type { PublicJwk } from '@bonafide/keys'
import { StatusListError } from './errors.js'

/** Which keys may sign status lists: static keys (optionally by kid) and/or x5c chains to anchors. */
export interface StatusListTrust {
  keys?: readonly PublicJwk[]
  trustAnchors?: readonly TrustAnchorInput[]
}

const validators = new WeakMap<StatusListTrust, X5cValidator>()

/** Candidate keys for a token given its `kid` and certificate chain (DER, leaf first). */
export function trustedKeys(
  trust: StatusListTrust,
  kid: unknown,
  chain: Uint8Array[] | undefined,
  nowMs: number,
): (PublicJwk | KeyObject)[] {
  if (chain && trust.trustAnchors?.length) {
    let v = validators.get(trust)
    if (!v) validators.set(trust, (v = createX5cValidator(trust.trustAnchors)))
    return [v.validate(chain, nowMs).leafKey]
  }
  const keys = trust.keys ?? []
  const byKid = typeof kid === 'string' ? keys.filter((k) => k.kid === kid) : []
  const out = byKid.length ? byKid : [...keys]
  if (out.length === 0) throw new StatusListError('status_list.untrusted', 'no trusted key for this status list')
  return out
}

export function x5cChain(x5c: unknown): Uint8Array[] | undefined {
  return x5c === undefined ? undefined : decodeX5c(x5c)
}
