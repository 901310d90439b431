import { b64uEncode, FakeClock, type JsonObject } from '@bonafide/core'
import { createDidJwk, createDidKey } from '@bonafide/did'
import { signCompactJws } from '@bonafide/jose'
import { generatePrivateJwk, type Signer, signerFromPrivateJwk } from '@bonafide/keys'

export const clock = new FakeClock(Date.UTC(2026, 10, 22, 15, 30, 0))
export const NOW = Math.floor(clock.now() / 1000)

export function newSigner(alg: 'ES256' | 'EdDSA' | 'ES384' = 'ES256'): Signer {
  return signerFromPrivateJwk(generatePrivateJwk(alg))
}

/** An issuer identified by did:jwk (or did:key) with its signer and kid. */
export function didIssuer(method: 'jwk' | 'key' = 'jwk', alg: 'ES256' | 'EdDSA' = 'ES256') {
  const signer = newSigner(alg)
  const did = method === 'jwk' ? createDidJwk(signer.publicJwk) : createDidKey(signer.publicJwk)
  const kid = method === 'jwk' ? `${did}#0` : `${did}#${did.slice('did:key:'.length)}`
  return { signer, did, kid }
}

/** Sign arbitrary header and payload (for hand-made negative cases). */
export function signRaw(header: JsonObject, payload: JsonObject, signer: Signer): Promise<string> {
  return signCompactJws(header, payload, signer)
}

/** Replace the payload of a signed JWT without re-signing. */
export function swapPayload(jwt: string, payload: JsonObject): string {
  const [h, , s] = jwt.split('.')
  return `${h}.${b64uEncode(JSON.stringify(payload))}.${s}`
}

export function decodePart(jwt: string, i: 0 | 1): JsonObject {
  return JSON.parse(Buffer.from(jwt.split('.')[i] as string, 'base64url').toString('utf8'))
}

export const degree = {
  type: ['VerifiableCredential', 'UniversityDegreeCredential'],
  credentialSubject: { degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
}
