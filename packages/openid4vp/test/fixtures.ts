import type { JsonObject } from '@bonafide/core'
import type { PublicJwk, Signer } from '@bonafide/keys'
import { issueMdoc } from '@bonafide/mdoc'
import { issueSdJwtVc } from '@bonafide/sd-jwt'
import type { createDevChain } from '@bonafide/testing'

/** A test issuer: its signer and the development chain it signs under (x5c for SD-JWT VC, x5chain for mdoc). */
export interface TestIssuer {
  readonly signer: Signer
  readonly pki: Awaited<ReturnType<typeof createDevChain>>
}

/** An SD-JWT VC from https://issuer.example with every top-level claim selectively disclosable, bound to `holder`. */
export function issueTestSdJwtVc(i: TestIssuer, vct: string, claims: JsonObject, holder: PublicJwk): Promise<string> {
  return issueSdJwtVc({
    signer: i.signer,
    iss: 'https://issuer.example',
    vct,
    claims,
    disclosable: Object.keys(claims),
    holderKey: holder,
    header: { x5c: i.pki.x5c },
  })
}

/** An mdoc (IssuerSigned) under the test chain, bound to `device`. */
export function issueTestMdoc(
  i: TestIssuer,
  docType: string,
  claims: Record<string, JsonObject>,
  device: PublicJwk,
): Promise<Uint8Array> {
  return issueMdoc({ signer: i.signer, x5chain: [i.pki.leaf.der], docType, claims, deviceKey: device })
}
