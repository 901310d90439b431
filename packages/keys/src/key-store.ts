import type { JwsAlg } from './alg.js'
import type { PublicJwk } from './jwk.js'
import type { KeyRef, Signer } from './signer.js'

export interface KeyInfo {
  ref: KeyRef
  alg: JwsAlg
  publicJwk: PublicJwk
  label?: string
}

/** Private keys live behind this interface: memory, file, KMS, PKCS#11. No export on the base type. */
export interface KeyStore {
  readonly name: string
  generate(spec: { alg: JwsAlg; label?: string }): Promise<KeyRef>
  signer(ref: KeyRef): Promise<Signer>
  get(ref: KeyRef): Promise<KeyInfo | undefined>
  list(): AsyncIterable<KeyInfo>
  delete(ref: KeyRef): Promise<void>
}
