import { certificateB64, createCertificate } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject, type Signer } from '@bonafide/keys'

const DAY = 86_400_000

/** A development root and document-signer certificate, for demos (production issuers bring their own). */
export async function createDevChain(o: { dnsNames?: string[] } = {}): Promise<{
  root: { pem: string; subject: string }
  leaf: { subject: string }
  leafSigner: Signer
  x5c: string[]
}> {
  const now = Date.now()
  const rootKey = generateKeyObject('ES256')
  const root = await createCertificate({
    subject: 'CN=Bonafide Demo Root, O=Bonafide, C=NL',
    subjectKey: rootKey,
    subjectAlg: 'ES256',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    ca: true,
    pathLength: 0,
  })
  const leafKey = generateKeyObject('ES256')
  const leaf = await createCertificate({
    subject: 'CN=Bonafide Demo Issuer, O=Bonafide, C=NL',
    subjectKey: leafKey,
    subjectAlg: 'ES256',
    issuer: { certificate: root, key: rootKey, alg: 'ES256' },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    ...(o.dnsNames ? { dnsNames: o.dnsNames } : {}),
  })
  return {
    root: { pem: root.toString('pem'), subject: root.subject },
    leaf: { subject: leaf.subject },
    leafSigner: createLocalSigner(leafKey, { store: 'demo', id: 'issuer' }, 'ES256'),
    x5c: [certificateB64(leaf)],
  }
}
