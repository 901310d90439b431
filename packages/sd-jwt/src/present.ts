import type { HashAlg } from '@bonafide/core'
import { type ClaimPath, type ClaimPathInput, formatClaimPath, parseClaimPath, pathPrefixMatches } from './claim-path.js'
import { type DecodedSdJwt, decodeSdJwt } from './decode.js'
import { SdJwtError } from './errors.js'
import { createKbJwt, type KeyBindingOptions } from './kb-jwt.js'
import { joinCompact, toJsonSerialization } from './serialization.js'

export interface PresentSdJwtOptions {
  /** Claims to disclose; the parents a nested disclosure needs come along, and so do its children. `'all'` discloses everything. */
  disclose: readonly ClaimPathInput[] | 'all'
  /** Add a KB-JWT (§4.3) signed by the holder key. */
  kb?: KeyBindingOptions
}

/** Does any claim in the processed payload sit at (or under) this path? */
function pathExists(claims: unknown, path: ClaimPath): boolean {
  let level: unknown[] = [claims]
  for (const seg of path) {
    const next: unknown[] = []
    for (const v of level) {
      if (seg === null) {
        if (Array.isArray(v)) next.push(...v)
      } else if (typeof seg === 'number' && Array.isArray(v)) {
        if (seg < v.length) next.push(v[seg])
      } else if (typeof seg === 'number' && typeof v === 'object' && v !== null && Object.hasOwn(v, String(seg))) {
        next.push((v as Record<string, unknown>)[String(seg)])
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, seg)) {
        next.push((v as Record<string, unknown>)[seg])
      }
    }
    if (next.length === 0) return false
    level = next
  }
  return true
}

/** Select the disclosures for a set of claim paths: those on the way to a path, at it, or below it. */
export function selectDisclosures(decoded: DecodedSdJwt, disclose: readonly ClaimPathInput[] | 'all'): string[] {
  if (disclose === 'all') return decoded.disclosures.map((d) => d.encoded)
  const wanted = disclose.map(parseClaimPath)
  for (const w of wanted) {
    if (!pathExists(decoded.claims, w)) {
      throw new SdJwtError('sd_jwt.path_not_found', `claim ${formatClaimPath(w)} is not in the credential`, {
        details: { path: w },
      })
    }
  }
  const out: string[] = []
  for (const { path, disclosure } of decoded.paths) {
    if (wanted.some((w) => pathPrefixMatches(w, path))) out.push(disclosure.encoded)
  }
  return out
}

/**
 * Present an SD-JWT (RFC 9901 §7.2): choose disclosures by claim path and optionally bind it to
 * the holder key with a KB-JWT. Answers in the serialization the SD-JWT came in.
 */
export async function presentSdJwt(token: string | DecodedSdJwt, o: PresentSdJwtOptions): Promise<string> {
  const decoded = typeof token === 'string' ? decodeSdJwt(token) : token
  if (decoded.parts.kbJwt) throw new SdJwtError('sd_jwt.kb_unexpected', 'a holder receives an SD-JWT, not an SD-JWT+KB (§7.2)')
  const selected = selectDisclosures(decoded, o.disclose)
  const presented = joinCompact(decoded.parts.jwt, selected)
  const kbJwt = o.kb ? await createKbJwt(presented, decoded.hashAlg as HashAlg, o.kb) : undefined
  if (decoded.parts.serialization === 'compact') return kbJwt ? presented + kbJwt : presented
  const form = decoded.parts.serialization === 'json-general' ? 'general' : 'flattened'
  return JSON.stringify(
    toJsonSerialization(
      {
        jwt: decoded.parts.jwt,
        disclosures: selected,
        ...(kbJwt ? { kbJwt } : {}),
        ...(decoded.parts.extraSignatures ? { extraSignatures: decoded.parts.extraSignatures } : {}),
      },
      form,
      decoded.parts.unprotectedHeader,
    ),
  )
}
