import { KeysError } from './errors.js'

/** Asymmetric JWS algorithms Bonafide signs and verifies with. HMAC and `none` are never accepted. */
export type JwsAlg = 'ES256' | 'ES384' | 'ES512' | 'EdDSA'
export const JWS_ALGS: readonly JwsAlg[] = ['ES256', 'ES384', 'ES512', 'EdDSA']

export interface AlgInfo {
  readonly kty: 'EC' | 'OKP'
  readonly crv: 'P-256' | 'P-384' | 'P-521' | 'Ed25519'
  /** node:crypto digest name, or null for EdDSA (hash is part of the scheme). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null
  /** Raw signature length in bytes (r||s for ECDSA). */
  readonly sigLen: number
  /** Length of one coordinate in bytes. */
  readonly coordLen: number
  /** COSE algorithm identifier (RFC 9053). */
  readonly cose: number
}

export const ALG_INFO: Readonly<Record<JwsAlg, AlgInfo>> = {
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256', sigLen: 64, coordLen: 32, cose: -7 },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384', sigLen: 96, coordLen: 48, cose: -35 },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512', sigLen: 132, coordLen: 66, cose: -36 },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', hash: null, sigLen: 64, coordLen: 32, cose: -8 },
}

export function isJwsAlg(v: unknown): v is JwsAlg {
  return v === 'ES256' || v === 'ES384' || v === 'ES512' || v === 'EdDSA'
}

export function algInfo(alg: string): AlgInfo {
  if (!isJwsAlg(alg)) throw new KeysError('keys.alg_unsupported', 'unsupported algorithm')
  return ALG_INFO[alg]
}

/** The algorithm a public key of this curve signs with. */
export function algForCurve(crv: string): JwsAlg {
  for (const alg of JWS_ALGS) if (ALG_INFO[alg].crv === crv) return alg
  throw new KeysError('keys.alg_unsupported', 'unsupported curve')
}
