import type { KeyObject } from 'node:crypto'
import { certificateB64, certificateDer, createCertificate, type x509 } from '@bonafide/jose'
import { generateKeyObject, type JwsAlg } from '@bonafide/keys'

export interface DevCert {
  certificate: x509.X509Certificate
  key: KeyObject
  alg: JwsAlg
  der: Uint8Array
  b64: string
  pem: string
}

const DAY = 86_400_000

/** A root CA and a leaf signed by it, for tests (valid from now-1d for 365 days unless told). */
export async function createDevChain(opts?: {
  alg?: JwsAlg
  rootName?: string
  leafName?: string
  dnsNames?: string[]
  now?: number
  leafDays?: number
}): Promise<{ root: DevCert; leaf: DevCert; x5c: string[] }> {
  const alg = opts?.alg ?? 'ES256'
  const now = opts?.now ?? Date.now()
  const rootKey = generateKeyObject(alg)
  const rootCert = await createCertificate({
    subject: opts?.rootName ?? 'CN=Bonafide Test Root, O=Bonafide, C=NL',
    subjectKey: rootKey,
    subjectAlg: alg,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    ca: true,
    pathLength: 1,
  })
  const leafKey = generateKeyObject(alg)
  const leafCert = await createCertificate({
    subject: opts?.leafName ?? 'CN=Bonafide Test Leaf, O=Bonafide, C=NL',
    subjectKey: leafKey,
    subjectAlg: alg,
    issuer: { certificate: rootCert, key: rootKey, alg },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + (opts?.leafDays ?? 365) * DAY),
    ...(opts?.dnsNames ? { dnsNames: opts.dnsNames } : {}),
  })
  const wrap = (certificate: x509.X509Certificate, key: KeyObject): DevCert => ({
    certificate,
    key,
    alg,
    der: certificateDer(certificate),
    b64: certificateB64(certificate),
    pem: certificate.toString('pem'),
  })
  const root = wrap(rootCert, rootKey)
  const leaf = wrap(leafCert, leafKey)
  return { root, leaf, x5c: [leaf.b64] }
}
