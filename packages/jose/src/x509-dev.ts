import 'reflect-metadata'
import { Buffer } from 'node:buffer'
import { type KeyObject, webcrypto } from 'node:crypto'
import { ALG_INFO, exportPrivateJwk, exportPublicJwk, type JwsAlg } from '@bonafide/keys'
import * as x509 from '@peculiar/x509'

type CryptoKey = webcrypto.CryptoKey
type Algorithm = webcrypto.Algorithm
type EcKeyImportParams = webcrypto.EcKeyImportParams
type EcdsaParams = webcrypto.EcdsaParams

x509.cryptoProvider.set(webcrypto as never)

/** WebCrypto parameters for a JWS algorithm (certificate signing). */
function params(alg: JwsAlg): { gen: EcKeyImportParams | Algorithm; sign: EcdsaParams | Algorithm } {
  const info = ALG_INFO[alg]
  if (info.kty === 'OKP') return { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } }
  const hash = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }[info.hash as 'sha256']
  return { gen: { name: 'ECDSA', namedCurve: info.crv }, sign: { name: 'ECDSA', hash } }
}

async function toCryptoKey(key: KeyObject, alg: JwsAlg, kind: 'private' | 'public'): Promise<CryptoKey> {
  const jwk = kind === 'private' ? exportPrivateJwk(key, alg) : exportPublicJwk(key)
  const { kid: _k, alg: _a, ...members } = jwk as unknown as Record<string, unknown>
  return webcrypto.subtle.importKey(
    'jwk',
    members as webcrypto.JsonWebKey,
    params(alg).gen,
    true,
    kind === 'private' ? ['sign'] : ['verify'],
  ) as Promise<CryptoKey>
}

export interface CertificateSpec {
  /** Distinguished name, e.g. `CN=Bonafide Dev CA, C=NL`. */
  subject: string
  /** The certificate's own key (its public part is certified). */
  subjectKey: KeyObject
  subjectAlg: JwsAlg
  /** The issuer's certificate and key; omit both for a self-signed root. */
  issuer?: { certificate: x509.X509Certificate; key: KeyObject; alg: JwsAlg }
  notBefore: Date
  notAfter: Date
  ca?: boolean
  pathLength?: number
  /** DNS names and URIs for subjectAltName. */
  dnsNames?: string[]
  uris?: string[]
  /** Extra extensions (ISO 18013-5 Annex B profiles add their own). */
  extensions?: x509.Extension[]
  serialNumber?: string
  keyUsage?: number
}

/**
 * Create an X.509 certificate for development and tests (roots, intermediates, leaves).
 * Production issuers and verifiers bring their own certificates.
 */
export async function createCertificate(spec: CertificateSpec): Promise<x509.X509Certificate> {
  const subjectPublic: never = (await toCryptoKey(spec.subjectKey, spec.subjectAlg, 'public')) as never
  const signAlg = spec.issuer?.alg ?? spec.subjectAlg
  const signingKey = (await toCryptoKey(spec.issuer?.key ?? spec.subjectKey, signAlg, 'private')) as never
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(spec.ca ?? false, spec.pathLength, true),
    new x509.KeyUsagesExtension(
      spec.keyUsage ??
        (spec.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature),
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(subjectPublic),
  ]
  if (spec.issuer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.certificate))
  const san = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ]
  if (san.length) exts.push(new x509.SubjectAlternativeNameExtension(san))
  exts.push(...(spec.extensions ?? []))
  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? Date.now().toString(16).padStart(16, '0'),
    subject: spec.subject,
    issuer: spec.issuer?.certificate.subject ?? spec.subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: subjectPublic,
    signingKey,
    signingAlgorithm: params(signAlg).sign as never,
    extensions: exts,
  })
}

/** DER bytes of a certificate. */
export function certificateDer(cert: x509.X509Certificate): Uint8Array {
  return new Uint8Array(cert.rawData)
}

/** Standard base64 of the DER (the form `x5c` uses). */
export function certificateB64(cert: x509.X509Certificate): string {
  return Buffer.from(cert.rawData).toString('base64')
}

export { x509 }
