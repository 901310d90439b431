import 'reflect-metadata'
import { Buffer } from 'node:buffer'
import { type KeyObject, X509Certificate as NodeX509 } from 'node:crypto'
import { exportPublicJwk, type PublicJwk } from '@bonafide/keys'
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509Certificate } from '@peculiar/x509'
import { JoseError } from './errors.js'

/** A trust anchor: PEM text or DER bytes of a CA (or IACA) certificate. */
export type TrustAnchorInput = string | Uint8Array

export interface ValidatedChain {
  /** The leaf certificate (node:crypto). */
  readonly leaf: NodeX509
  readonly leafKey: KeyObject
  readonly publicJwk: PublicJwk
  /** The anchor the chain ends at. */
  readonly anchor: NodeX509
  readonly chain: readonly NodeX509[]
}

export interface X5cValidator {
  /** Validate DER certificates, leaf first, at time `now` (ms). */
  validate(chainDer: readonly Uint8Array[], now: number): ValidatedChain
}

const MAX_CHAIN = 10
const MAX_CERT_BYTES = 16 * 1024

function toNode(input: TrustAnchorInput | Uint8Array): NodeX509 {
  try {
    return new NodeX509(typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength))
  } catch (cause) {
    throw new JoseError('jose.x5c_invalid', 'not a valid X.509 certificate', { cause })
  }
}

/** Decode a JOSE `x5c` header (standard base64 DER, RFC 7515 §4.1.6). */
export function decodeX5c(x5c: unknown): Uint8Array[] {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN)
    throw new JoseError('jose.x5c_invalid', 'x5c must be a non-empty array')
  return x5c.map((c) => {
    if (typeof c !== 'string' || c.length > (MAX_CERT_BYTES * 4) / 3 + 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(c)) {
      throw new JoseError('jose.x5c_invalid', 'x5c entry is not base64 DER')
    }
    return new Uint8Array(Buffer.from(c, 'base64'))
  })
}

/** The window in which every certificate of a chain (and its anchor) is valid: latest notBefore, earliest notAfter. */
function validityWindow(certs: readonly NodeX509[]): { from: number; to: number } {
  let from = Number.NEGATIVE_INFINITY
  let to = Number.POSITIVE_INFINITY
  // An unparsable date gives NaN, which no time satisfies.
  for (const c of certs) {
    from = Math.max(from, Date.parse(c.validFrom))
    to = Math.min(to, Date.parse(c.validTo))
  }
  return { from, to }
}

function checkCaExtensions(der: Uint8Array): void {
  const cert = new X509Certificate(der)
  const bc = cert.getExtension(BasicConstraintsExtension)
  if (!bc?.ca) throw new JoseError('jose.x5c_invalid', 'intermediate is not a CA')
  const ku = cert.getExtension(KeyUsagesExtension)
  if (ku && (ku.usages & KeyUsageFlags.keyCertSign) === 0)
    throw new JoseError('jose.x5c_invalid', 'CA key may not sign certificates')
}

function issued(child: NodeX509, parent: NodeX509): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey)
  } catch {
    return false
  }
}

/**
 * An x5c chain validator bound to a set of trust anchors. Signatures and extensions of a chain
 * are checked once and cached; validity periods are checked on every call with the given time.
 * A self-signed leaf is always refused.
 */
export function createX5cValidator(trustAnchors: readonly TrustAnchorInput[]): X5cValidator {
  const anchors = trustAnchors.map(toNode)
  const cache = new Map<string, { chain: ValidatedChain; from: number; to: number }>()

  const build = (chainDer: readonly Uint8Array[]): ValidatedChain => {
    if (chainDer.length === 0 || chainDer.length > MAX_CHAIN) throw new JoseError('jose.x5c_invalid', 'bad chain length')
    const certs = chainDer.map((d) => {
      if (d.byteLength > MAX_CERT_BYTES) throw new JoseError('jose.x5c_invalid', 'certificate too large')
      return toNode(d)
    })
    const leaf = certs[0] as NodeX509
    if (issued(leaf, leaf)) throw new JoseError('jose.x5c_self_signed', 'self-signed leaf certificate refused')
    for (let i = 0; i + 1 < certs.length; i++) {
      if (!issued(certs[i] as NodeX509, certs[i + 1] as NodeX509)) throw new JoseError('jose.x5c_invalid', 'chain is broken')
      checkCaExtensions(chainDer[i + 1] as Uint8Array)
    }
    const last = certs[certs.length - 1] as NodeX509
    let anchor = anchors.find((a) => a.raw.equals(last.raw))
    if (!anchor) {
      anchor = anchors.find((a) => issued(last, a))
      if (!anchor) throw new JoseError('jose.x5c_untrusted', 'chain does not end at a trusted anchor')
    }
    const leafKey = leaf.publicKey
    return { leaf, leafKey, publicJwk: exportPublicJwk(leafKey), anchor, chain: certs }
  }

  return {
    validate(chainDer, now) {
      // Keyed by the chain's exact DER bytes (latin1: one char per byte, with the length so certificates cannot run together).
      if (chainDer.length === 0 || chainDer.length > MAX_CHAIN) throw new JoseError('jose.x5c_invalid', 'bad chain length')
      let key = ''
      for (const d of chainDer) {
        if (d.byteLength > MAX_CERT_BYTES) throw new JoseError('jose.x5c_invalid', 'certificate too large')
        key += `${d.byteLength}:${Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('latin1')}`
      }
      let v = cache.get(key)
      if (!v) {
        const chain = build(chainDer)
        v = { chain, ...validityWindow([...chain.chain, chain.anchor]) }
        if (cache.size > 1024) cache.clear()
        cache.set(key, v)
      }
      // Validity periods depend on the time: checked on every call, never cached.
      if (!(v.from <= now && now <= v.to))
        throw new JoseError('jose.x5c_expired', 'a certificate in the chain is not valid at this time')
      return v.chain
    },
  }
}
