import { createHash } from 'node:crypto'

const ALGS: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' }

/**
 * Check W3C Subresource Integrity metadata (`sha256-<base64>` …, space-separated alternatives)
 * over the raw bytes of a document (SD-JWT VC §7 document integrity).
 */
export function checkIntegrity(bytes: Uint8Array, integrity: string): boolean {
  const options = integrity.trim().split(/\s+/)
  for (const opt of options) {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(opt)
    if (!m) continue
    const actual = createHash(ALGS[m[1] as string] as string)
      .update(bytes)
      .digest('base64')
    if (actual === m[2]) return true
  }
  return false
}

/** Integrity metadata string (sha256) for a document, for issuers setting `vct#integrity`. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha256-${createHash('sha256').update(bytes).digest('base64')}`
}
