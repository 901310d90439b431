import type { KeyObject } from 'node:crypto'
import { digestB64u, type HashAlg, isHashAlg, type JsonObject } from '@bonafide/core'
import { type ParsedJws, verifyJwsSignature } from '@bonafide/jose'
import type { JwsAlg, PublicJwk, Signer } from '@bonafide/keys'
import { SdJwtError } from './errors.js'
import { signJwt } from './issue.js'

export interface KeyBindingOptions {
  signer: Signer
  aud: string
  nonce: string
  /** Seconds since the epoch; default now. */
  iat?: number
  /** OpenID4VP transaction data strings as received (hashed without decoding). */
  transactionData?: readonly string[]
  transactionDataHashAlg?: HashAlg
}

/** `sd_hash` (§4.3.1): digest over `<JWT>~<D1>~…~<Dn>~` with the SD-JWT's hash algorithm. */
export function sdHash(hashAlg: HashAlg, sdJwtWithoutKb: string): string {
  return digestB64u(hashAlg, sdJwtWithoutKb)
}

/** Hashes of OpenID4VP transaction data, over each string as received (OpenID4VP 1.0 §8.4, B.3.3). */
export function transactionDataHashes(alg: HashAlg, data: readonly string[]): string[] {
  return data.map((d) => digestB64u(alg, d))
}

/** Create a KB-JWT (§4.3) for a presentation. */
export async function createKbJwt(presented: string, hashAlg: HashAlg, o: KeyBindingOptions): Promise<string> {
  const payload: JsonObject = {
    iat: o.iat ?? Math.floor(Date.now() / 1000),
    aud: o.aud,
    nonce: o.nonce,
    sd_hash: sdHash(hashAlg, presented),
  }
  if (o.transactionData?.length) {
    const alg = o.transactionDataHashAlg ?? 'sha-256'
    payload.transaction_data_hashes = transactionDataHashes(alg, o.transactionData)
    payload.transaction_data_hashes_alg = alg
  }
  return signJwt({ typ: 'kb+jwt' }, payload, o.signer)
}

export interface VerifyKbOptions {
  aud?: string
  nonce?: string
  /** Seconds. Default 300. */
  maxAgeSeconds?: number
  skewSeconds?: number
  /** Transaction data the verifier sent; the KB-JWT must carry matching hashes. */
  transactionData?: readonly string[]
  /** Hash algorithms the verifier allowed for transaction data (default ['sha-256']). */
  transactionDataHashAlgs?: readonly HashAlg[]
  algorithms?: readonly JwsAlg[]
}

/** §7.3 step 5: verify a KB-JWT against the holder key from `cnf`. */
export function verifyKbJwt(
  kb: ParsedJws,
  holderKey: PublicJwk | KeyObject,
  presented: string,
  hashAlg: HashAlg,
  nowSeconds: number,
  o: VerifyKbOptions,
): void {
  if (kb.header.typ !== 'kb+jwt') throw new SdJwtError('sd_jwt.kb_typ_invalid', 'KB-JWT typ must be kb+jwt')
  try {
    verifyJwsSignature(kb, holderKey, o.algorithms ? { algorithms: o.algorithms } : {})
  } catch (cause) {
    throw new SdJwtError('sd_jwt.kb_signature_invalid', 'KB-JWT signature does not verify with the cnf key', { cause })
  }
  const p = kb.payload
  const skew = o.skewSeconds ?? 60
  if (typeof p.iat !== 'number' || !Number.isFinite(p.iat)) throw new SdJwtError('sd_jwt.kb_invalid', 'KB-JWT iat is required')
  if (p.iat > nowSeconds + skew || nowSeconds - p.iat > (o.maxAgeSeconds ?? 300) + skew) {
    throw new SdJwtError('sd_jwt.kb_iat_invalid', 'KB-JWT iat is outside the acceptable window')
  }
  if (typeof p.nonce !== 'string') throw new SdJwtError('sd_jwt.kb_invalid', 'KB-JWT nonce is required')
  if (typeof p.aud !== 'string') throw new SdJwtError('sd_jwt.kb_invalid', 'KB-JWT aud must be a single string')
  if (typeof p.sd_hash !== 'string') throw new SdJwtError('sd_jwt.kb_invalid', 'KB-JWT sd_hash is required')
  if (o.nonce !== undefined && p.nonce !== o.nonce)
    throw new SdJwtError('sd_jwt.kb_nonce_mismatch', 'KB-JWT nonce does not match')
  if (o.aud !== undefined && p.aud !== o.aud) throw new SdJwtError('sd_jwt.kb_aud_mismatch', 'KB-JWT aud does not match')
  if (p.sd_hash !== sdHash(hashAlg, presented))
    throw new SdJwtError('sd_jwt.kb_sd_hash_mismatch', 'KB-JWT sd_hash does not match the presentation')
  if (o.transactionData?.length) checkTransactionData(p, o.transactionData, o.transactionDataHashAlgs ?? ['sha-256'])
}

function checkTransactionData(p: JsonObject, data: readonly string[], allowed: readonly HashAlg[]): void {
  const alg = p.transaction_data_hashes_alg ?? 'sha-256'
  if (!isHashAlg(alg) || !allowed.includes(alg))
    throw new SdJwtError('sd_jwt.kb_transaction_data_mismatch', 'transaction data hash algorithm not allowed')
  const hashes = p.transaction_data_hashes
  if (!Array.isArray(hashes)) throw new SdJwtError('sd_jwt.kb_transaction_data_mismatch', 'transaction_data_hashes missing')
  const expected = transactionDataHashes(alg, data)
  if (hashes.length !== expected.length || expected.some((h) => !hashes.includes(h))) {
    throw new SdJwtError('sd_jwt.kb_transaction_data_mismatch', 'transaction_data_hashes do not match the request')
  }
}
