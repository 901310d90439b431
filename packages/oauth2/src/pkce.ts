import { b64uEncode, constantTimeEqual, digestB64u, OAuthError, type RandomSource, systemRandom } from '@bonafide/core'

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/

/** Create a PKCE pair (RFC 7636 §4.1, §4.2), S256 only. */
export function createPkce(random: RandomSource = systemRandom): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = b64uEncode(random.bytes(32))
  return { verifier, challenge: digestB64u('sha-256', verifier), method: 'S256' }
}

/** Check a code challenge at the authorization/PAR endpoint: S256 only (plain is refused). */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): string {
  if (!challenge) throw new OAuthError('invalid_request', 'code_challenge is required')
  if (method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256')
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new OAuthError('invalid_request', 'code_challenge is malformed')
  return challenge
}

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) == challenge; failures are `invalid_grant`. */
export function verifyPkce(verifier: string | undefined, challenge: string): void {
  if (!verifier || !VERIFIER.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier is missing or malformed')
  if (!constantTimeEqual(digestB64u('sha-256', verifier), challenge))
    throw new OAuthError('invalid_grant', 'code_verifier does not match')
}
