import { isJsonObject } from '@bonafide/core'
import { importPrivateJwk, type PublicJwk, parsePublicJwk, type Signer, signerFromPrivateJwk } from '@bonafide/keys'
import { readJsonFile } from './args.js'
import { UsageError } from './io.js'

/** A private JWK file → Signer. */
export async function readSigner(path: string | undefined, what: string): Promise<Signer> {
  const jwk = await readJsonFile(path, what)
  try {
    return signerFromPrivateJwk(jwk)
  } catch {
    throw new UsageError(`${what} must be a private JWK (see bonafide keygen)`)
  }
}

/** A public or private JWK → its public part. */
export function publicPart(jwk: unknown, what: string): PublicJwk {
  try {
    if (isJsonObject(jwk) && typeof jwk.d === 'string') return importPrivateJwk(jwk).publicJwk
    return parsePublicJwk(jwk)
  } catch {
    throw new UsageError(`${what} is not a supported JWK`)
  }
}

/** A JWK, an array of JWKs, or a JWKS → public keys. */
export async function readPublicKeys(path: string | undefined, what: string): Promise<PublicJwk[]> {
  const v = await readJsonFile(path, what)
  const list = Array.isArray(v) ? v : isJsonObject(v) && Array.isArray(v.keys) ? v.keys : [v]
  return list.map((k) => publicPart(k, what))
}
