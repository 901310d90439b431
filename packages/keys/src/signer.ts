import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto'
import { isJsonObject } from '@bonafide/core'
import { ALG_INFO, algForCurve, algInfo, type JwsAlg } from './alg.js'
import { KeysError } from './errors.js'
import { exportPublicJwk, jwkThumbprint, type PrivateJwk, type PublicJwk, parsePublicJwk } from './jwk.js'

export type KeyRef = { readonly store: string; readonly id: string }

/**
 * Bytes in, raw signature out (ECDSA r||s). Carries only the public JWK: private keys never
 * cross this interface. One Signer serves JWS, COSE_Sign1, KB-JWT, DPoP and key proofs.
 */
export interface Signer {
  readonly alg: JwsAlg
  readonly keyRef: KeyRef
  readonly publicJwk: PublicJwk
  sign(data: Uint8Array): Promise<Uint8Array>
  /** Present on in-process keys: lets hot paths skip an async hop. KMS signers omit it. */
  signSync?(data: Uint8Array): Uint8Array
}

/** Sign with whichever path the signer offers. */
export function signWith(signer: Signer, data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  return signer.signSync ? signer.signSync(data) : signer.sign(data)
}

/** A Signer over a node:crypto private KeyObject. */
export function createLocalSigner(privateKey: KeyObject, keyRef: KeyRef, alg?: JwsAlg): Signer {
  const publicJwk = exportPublicJwk(createPublicKey(privateKey))
  const a = alg ?? algForCurve(publicJwk.crv)
  const info = ALG_INFO[a]
  if (info.crv !== publicJwk.crv) throw new KeysError('keys.key_alg_mismatch', 'key does not match the algorithm')
  const opts = info.hash ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const } : privateKey
  const signSync = (data: Uint8Array): Uint8Array => {
    const s = nodeSign(info.hash, data, opts)
    return new Uint8Array(s.buffer, s.byteOffset, s.byteLength)
  }
  return { alg: a, keyRef, publicJwk, signSync, sign: async (data) => signSync(data) }
}

/** Generate a node:crypto key pair for an algorithm. */
export function generateKeyObject(alg: JwsAlg): KeyObject {
  const info = algInfo(alg)
  if (info.kty === 'OKP') return generateKeyPairSync('ed25519').privateKey
  return generateKeyPairSync('ec', { namedCurve: info.crv }).privateKey
}

/** Generate a private JWK with `kid` = RFC 7638 thumbprint and `alg` (for CLI tools and tests). */
export function generatePrivateJwk(alg: JwsAlg = 'ES256'): PrivateJwk {
  return exportPrivateJwk(generateKeyObject(alg), alg)
}

export function exportPrivateJwk(key: KeyObject, alg?: JwsAlg): PrivateJwk {
  const pub = exportPublicJwk(key)
  const d = (key.export({ format: 'jwk' }) as { d?: string }).d
  if (!d) throw new KeysError('keys.jwk_invalid', 'not a private key')
  return { ...pub, d, kid: jwkThumbprint(pub), alg: alg ?? algForCurve(pub.crv) }
}

/** Import a private JWK into a KeyObject, checking that its public part is a supported key. */
export function importPrivateJwk(input: unknown): { key: KeyObject; publicJwk: PublicJwk; alg: JwsAlg } {
  if (!isJsonObject(input) || typeof input.d !== 'string') throw new KeysError('keys.jwk_invalid', 'not a private JWK')
  const { d, ...pub } = input
  const publicJwk = parsePublicJwk(pub)
  let key: KeyObject
  try {
    key = createPrivateKey({ key: { ...publicJwk, d } as never, format: 'jwk' })
  } catch (cause) {
    throw new KeysError('keys.jwk_invalid', 'invalid private JWK', { cause })
  }
  const alg =
    typeof input.alg === 'string' && input.alg === algForCurve(publicJwk.crv) ? (input.alg as JwsAlg) : algForCurve(publicJwk.crv)
  return { key, publicJwk, alg }
}

/** A Signer from a private JWK (tools, tests). */
export function signerFromPrivateJwk(jwk: unknown, keyRef?: KeyRef): Signer {
  const { key, publicJwk, alg } = importPrivateJwk(jwk)
  return createLocalSigner(key, keyRef ?? { store: 'jwk', id: jwkThumbprint(publicJwk) }, alg)
}
