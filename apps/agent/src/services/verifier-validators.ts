import type { Fetcher, StatusChecker } from '@bonafide/core'
import type { PresentationValidator } from '@bonafide/openid4vp'
import { jwtVcJsonValidator, msoMdocValidator, sdJwtVcValidator } from '@bonafide/openid4vp/formats'
import { createStatusListChecker } from '@bonafide/status-list'
import type { TrustMaterial } from './trust.js'

/** The status list URI of a reference (Token Status List claim or W3C credentialStatus entry). */
function uriOf(ref: unknown): string | undefined {
  const r = ref as { status_list?: { uri?: unknown }; statusListCredential?: unknown } | undefined
  const u = r?.status_list?.uri ?? r?.statusListCredential
  return typeof u === 'string' ? u : undefined
}

/**
 * Status of presented credentials: the agent's own lists are read fresh every time (in process, so a
 * revocation counts at once); other issuers' lists are cached as long as they say (ttl, max-age).
 */
function statusChecker(m: TrustMaterial, fetcher: Fetcher, publicUrl: string): StatusChecker {
  const trust = { trustAnchors: m.roots, ...(m.issuerKeys.length ? { keys: m.issuerKeys } : {}) }
  const own = createStatusListChecker({ fetcher, trust, maxTtlSeconds: 0 })
  const other = createStatusListChecker({ fetcher, trust })
  return {
    check: (ref, ctx) => (uriOf(ref)?.startsWith(`${publicUrl}/status/`) ? own : other).check(ref, ctx),
  }
}

/** The per-format validators of the agent's verifier, from its trust list. */
export function buildValidators(m: TrustMaterial, fetcher: Fetcher, publicUrl: string): PresentationValidator[] {
  const checker = statusChecker(m, fetcher, publicUrl)
  const issuerKeys = { trustAnchors: m.roots, ...(m.issuerKeys.length ? { keys: m.issuerKeys } : {}) }
  return [
    sdJwtVcValidator({ issuerKeys, statusChecker: checker }),
    msoMdocValidator({ trustAnchors: m.roots, statusChecker: checker }),
    jwtVcJsonValidator({ issuerKeys, statusChecker: checker }),
  ]
}
