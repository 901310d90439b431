import { createDidKey, resolveDidKey } from '@bonafide/did'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueSdJwtVc, verifySdJwtVc } from '@bonafide/sd-jwt'
import { describe, expect, it } from 'vitest'

// A DID as the issuer identifier of an SD-JWT VC: the verifier resolves `kid` (a DID URL) for assertionMethod.
describe('SD-JWT VC with a did:key issuer', () => {
  const signer = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
  const did = createDidKey(signer.publicJwk)
  const kid = `${did}#${did.slice('did:key:'.length)}`
  const policy = {
    resolve: async (iss: string | undefined, header: Record<string, unknown>) => {
      if (!iss?.startsWith('did:') || typeof header.kid !== 'string' || !header.kid.startsWith(`${iss}#`)) return undefined
      return [resolveDidKey(header.kid, { purpose: 'assertionMethod' })]
    },
  }
  it('verifies through the DID document, and refuses a kid of another DID', async () => {
    const vc = await issueSdJwtVc({
      signer,
      iss: did,
      vct: 'urn:example:diploma',
      claims: { degree: 'MSc' },
      disclosable: ['degree'],
      header: { kid },
    })
    expect((await verifySdJwtVc(vc, { issuerKeys: policy })).iss).toBe(did)
    const other = createDidKey(signerFromPrivateJwk(generatePrivateJwk('EdDSA')).publicJwk)
    const forged = await issueSdJwtVc({
      signer,
      iss: other,
      vct: 'urn:example:diploma',
      claims: {},
      header: { kid: `${other}#${other.slice(8)}` },
    })
    await expect(verifySdJwtVc(forged, { issuerKeys: policy })).rejects.toMatchObject({ code: 'sd_jwt.issuer_signature_invalid' })
  })
})
