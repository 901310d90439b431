import type { KeyObject } from 'node:crypto'
import { certificateDer, createCertificate, x509 } from '@bonafide/jose'
import { generateKeyObject, type JwsAlg } from '@bonafide/keys'

/** ISO 18013-5 Annex B: extended key usage of a document signer (id-mdlDS). */
export const MDL_DS_EKU = '1.0.18013.5.1.2'
const DAY = 86_400_000

export interface DevCertificate {
  readonly certificate: x509.X509Certificate
  readonly der: Uint8Array
  readonly pem: string
  readonly key: KeyObject
  readonly alg: JwsAlg
}

function wrap(certificate: x509.X509Certificate, key: KeyObject, alg: JwsAlg): DevCertificate {
  return { certificate, der: certificateDer(certificate), pem: certificate.toString('pem'), key, alg }
}

/**
 * An IACA root for development and tests, with the Annex B.1.2 profile: CA, pathLen 0,
 * keyCertSign + cRLSign, issuerAltName, CRL distribution point. Production issuers bring their own.
 */
export async function createIacaRoot(o: {
  country: string
  commonName?: string
  alg?: JwsAlg
  issuerUri?: string
  crlUri?: string
  now?: number
  years?: number
}): Promise<DevCertificate> {
  const alg = o.alg ?? 'ES256'
  const key = generateKeyObject(alg)
  const now = o.now ?? Date.now()
  const cert = await createCertificate({
    subject: `CN=${o.commonName ?? 'Bonafide Development IACA'}, C=${o.country}`,
    subjectKey: key,
    subjectAlg: alg,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + (o.years ?? 9) * 365 * DAY),
    ca: true,
    pathLength: 0,
    extensions: [
      new x509.IssuerAlternativeNameExtension([{ type: 'url', value: o.issuerUri ?? 'https://issuer.example' }]),
      new x509.CRLDistributionPointsExtension([o.crlUri ?? 'https://issuer.example/crl']),
    ],
  })
  return wrap(cert, key, alg)
}

/**
 * A document signer certificate under an IACA (Annex B.1.4 profile): digitalSignature only,
 * extended key usage id-mdlDS (critical), issuerAltName, CRL distribution point, AKI/SKI.
 */
export async function createDocumentSigner(
  iaca: DevCertificate,
  o: {
    commonName?: string
    country?: string
    alg?: JwsAlg
    now?: number
    days?: number
    issuerUri?: string
    crlUri?: string
  } = {},
): Promise<DevCertificate> {
  const alg = o.alg ?? iaca.alg
  const key = generateKeyObject(alg)
  const now = o.now ?? Date.now()
  const country = o.country ?? /C=([A-Z]{2})/.exec(iaca.certificate.subject)?.[1] ?? 'NL'
  const cert = await createCertificate({
    subject: `CN=${o.commonName ?? 'Bonafide Development Document Signer'}, C=${country}`,
    subjectKey: key,
    subjectAlg: alg,
    issuer: { certificate: iaca.certificate, key: iaca.key, alg: iaca.alg },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + (o.days ?? 457) * DAY),
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    extensions: [
      new x509.ExtendedKeyUsageExtension([MDL_DS_EKU], true),
      new x509.IssuerAlternativeNameExtension([{ type: 'url', value: o.issuerUri ?? 'https://issuer.example' }]),
      new x509.CRLDistributionPointsExtension([o.crlUri ?? 'https://issuer.example/crl']),
    ],
  })
  return wrap(cert, key, alg)
}
