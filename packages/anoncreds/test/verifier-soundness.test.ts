/**
 * Forged presentations from a review of our verifier (2026-12-04): a holder whose credential says age=10 proves
 * age >= 18. Both are rejected, at the service level and by the CL verifier on its own (which anoncreds-rs drives
 * with a sub-proof request built from the proof itself).
 * - hiddenT (accepted by the previous version: this test fails against it): the predicate proof's T values are
 *   chosen after the Fiat–Shamir challenge, because the challenge hashed `aggregated_proof.c_list` as received and
 *   nothing tied it to the A′ and T values the verifier uses.
 * - revealed: `age` revealed in the equality proof, with an m̂ for it that no equation binds, and a predicate proof
 *   on it. The review's instance was accepted; this regenerated instance is refused by the previous version too
 *   (for another reason), so here it only shows that the new shape checks refuse it first.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bn,
  clCredentialSchemaOf,
  clProofOf,
  createPresentation,
  expectedCList,
  nonCredentialSchema,
  ProofVerifier,
  parsePresentation,
  primaryPublicKeyOf,
  subProofRequest,
  verifyPresentation,
} from '../src/index.js'

const F = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'soundness', 'forgeries.json'), 'utf8'))
const request = {
  nonce: '1234567890123456789012',
  name: 'age check',
  version: '1.0',
  requested_attributes: {},
  requested_predicates: {
    pred_age: { name: 'age', p_type: '>=' as const, p_value: 18, restrictions: { cred_def_id: F.credDefId } },
  },
}
const schemas = { [F.schemaId]: F.schema }
const credDefs = { [F.credDefId]: F.credDef }

/** The CL verifier alone, with the sub-proof request taken from the proof (as anoncreds-rs builds it). */
function clVerifies(presentation: unknown): boolean {
  const p = parsePresentation(presentation)
  const sub = p.proof.proofs[0]!.primary_proof
  const v = new ProofVerifier({ commonAttributes: ['master_secret'] })
  v.addSubProofRequest(
    subProofRequest({
      revealedAttrs: Object.keys(sub.eq_proof.revealed_attrs),
      predicates: sub.ge_proofs.map((g) => ({ ...g.predicate })),
    }),
    clCredentialSchemaOf(F.schema),
    nonCredentialSchema(),
    primaryPublicKeyOf(F.credDef.value.primary),
  )
  try {
    return v.verify(clProofOf(p.proof), BigInt(request.nonce))
  } catch {
    return false
  }
}

describe('soundness: forged predicate proofs are rejected', () => {
  it("CL: the challenge covers the A′ and T values the verifier uses, not a c_list of the prover's choosing", () => {
    const r = verifyPresentation(F.hiddenT, request, schemas, credDefs)
    expect(r).toMatchObject({ valid: false, code: 'anoncreds.proof_invalid' })
    expect(clVerifies(F.hiddenT)).toBe(false)
    // the forgery's c_list is not the one its values give
    const proof = clProofOf(parsePresentation(F.hiddenT).proof)
    expect(expectedCList(proof).map((b) => bn.fromBytes(b))).not.toEqual(
      proof.aggregated_proof.c_list.map((b) => bn.fromBytes(b)),
    )
  })

  it('a predicate on a revealed attribute (an m̂ bound to nothing) is refused by the service and by the CL verifier', () => {
    const r = verifyPresentation(F.revealed, request, schemas, credDefs)
    expect(r).toMatchObject({ valid: false, code: 'anoncreds.proof_invalid' })
    expect(clVerifies(F.revealed)).toBe(false)
  })
})

describe('soundness: identifiers the prover merely claims', () => {
  it('a rev_reg_id restriction is not met by an identifier that names a registry without a non-revocation proof', () => {
    const RR = 'did:web:issuer.example/resource/rev-reg/some-other-registry'
    const req = {
      nonce: '1234567890123456789012',
      name: 'a',
      version: '1.0',
      requested_attributes: { n: { name: 'name', restrictions: { rev_reg_id: RR } } },
      requested_predicates: {},
    }
    const p = createPresentation(
      req,
      [{ credential: F.credential }],
      {},
      { requested_attributes: { n: { cred_id: 0, revealed: true } } },
      F.linkSecret,
      schemas,
      credDefs,
    )
    expect(verifyPresentation(p, req, schemas, credDefs)).toMatchObject({
      valid: false,
      code: 'anoncreds.restriction_unsatisfied',
    })
    const claimed = JSON.parse(JSON.stringify(p))
    claimed.identifiers[0].rev_reg_id = RR
    expect(verifyPresentation(claimed, req, schemas, credDefs)).toMatchObject({ valid: false })
  })

  it('a sub-proof that no referent uses is refused before any exponentiation (it could only cost the verifier work)', () => {
    const req = {
      nonce: '1234567890123456789012',
      name: 'a',
      version: '1.0',
      requested_attributes: { n: { name: 'name' } },
      requested_predicates: {},
    }
    const p = createPresentation(
      req,
      [{ credential: F.credential }],
      {},
      { requested_attributes: { n: { cred_id: 0, revealed: true } } },
      F.linkSecret,
      schemas,
      credDefs,
    )
    expect(verifyPresentation(p, req, schemas, credDefs).valid).toBe(true)
    const padded = JSON.parse(JSON.stringify(p))
    padded.proof.proofs.push(padded.proof.proofs[0])
    padded.identifiers.push(padded.identifiers[0])
    expect(verifyPresentation(padded, req, schemas, credDefs)).toMatchObject({ valid: false, code: 'anoncreds.proof_invalid' })
  })
})
