import { describe, expect, it } from 'vitest'
import { bn, GroupOrderElement, PointG2, clRevocation as R } from '../src/index.js'

const L = 6
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now()
  const r = f()
  return [r, performance.now() - t]
}

describe('revocation (CKS accumulator over AMCL BN254)', () => {
  const { publicKey: pk, privateKey: sk } = R.createCredentialRevocationKeys()
  const { publicKey: revPub, privateKey: revPriv } = R.createRevocationRegistryKeys(pk, L)
  const tails = [...new R.RevocationTailsGenerator(L, revPriv.gamma, pk.g_dash)]
  const accessor = new R.SimpleTailsAccessor(tails)
  const tailOf = (i: number) => tails[R.tailIndex(L, i)]!
  const sumTails = (idx: number[]) => idx.reduce((acc, i) => acc.add(tailOf(i)), PointG2.infinity())

  it('keys: pk = g^sk, y = h_cap^x, z = e(g, g′)^(γ^(L+1))', () => {
    expect(pk.pk.equals(pk.g.mul(sk.sk))).toBe(true)
    expect(pk.y.equals(pk.h_cap.mul(sk.x))).toBe(true)
    const gl1 = revPriv.gamma.powMod(GroupOrderElement.of(BigInt(L + 1)))
    expect(revPub.z.equals(R.createRevocationRegistryKeys(pk, L, revPriv.gamma).publicKey.z)).toBe(true)
    expect(revPub.z.equals(R.createRevocationRegistryKeys(pk, L, revPriv.gamma).publicKey.z)).toBe(true)
    expect(pk.g_dash.mul(gl1).equals(tails[L + 1]!)).toBe(false)
  })

  it('tails: tail_k = g′^(γ^k) for k = 0..2L, except tail_(L+1) = g′; tails file round-trips', () => {
    expect(tails.length).toBe(2 * L + 1)
    for (let k = 0; k <= 2 * L; k++) {
      const want = k === L + 1 ? pk.g_dash : R.tailAt(k, pk.g_dash, revPriv.gamma)
      expect(tails[k]!.equals(want)).toBe(true)
    }
    const file = R.createTailsFile(tails)
    expect(file.bytes.length).toBe(2 + 128 * (2 * L + 1))
    expect([...file.bytes.subarray(0, 2)]).toEqual([0, 2])
    expect(file.hash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/)
    expect(R.tailsFileHash(file.bytes)).toBe(file.hash)
    const reader = new R.TailsFileAccessor(file.bytes)
    expect(reader.count).toBe(2 * L + 1)
    for (let k = 0; k <= 2 * L; k++) expect(reader.tail(k).equals(tails[k]!)).toBe(true)
    expect(() => new R.TailsFileAccessor(file.bytes.subarray(1))).toThrow()
  })

  it('accumulator after issuing and revoking equals the sum of the tails; witnesses track it', () => {
    let registry = R.initialRevocationRegistry(pk, revPriv, L, false)
    expect(registry.accum.isInf()).toBe(true)
    const creds: ReturnType<typeof R.issueNonRevocationCredential>[] = []
    const vrPrimes: GroupOrderElement[] = []
    let fullDelta: { issued: Set<number>; revoked: Set<number> } = { issued: new Set(), revoked: new Set() }
    for (const i of [1, 2, 3]) {
      const blind = R.blindRevocationSecret(pk)
      const [res, ms] = time(() =>
        R.issueNonRevocationCredential({
          revIdx: i,
          credentialContext: 1234567890123456789n * BigInt(i),
          ur: blind.ur,
          publicKey: pk,
          privateKey: sk,
          maxCredNum: L,
          issuanceByDefault: false,
          registry,
          revKeyPrivate: revPriv,
        }),
      )
      if (i === 1) console.log(`issue non-revocation part: ${ms.toFixed(1)} ms`)
      registry = res.registry
      expect(res.delta?.issued.has(i)).toBe(true)
      fullDelta = { issued: new Set([...fullDelta.issued, i]), revoked: new Set() }
      creds.push(res)
      vrPrimes.push(blind.vr_prime)
    }
    expect(registry.accum.equals(sumTails([1, 2, 3]))).toBe(true)
    expect(registry.accum.equals(R.revocationRegistryForIssued(pk, revPriv, L, [1, 2, 3]).accum)).toBe(true)

    // the issuer's witness was for the registry before; bring it up to date, and compare with Witness::new
    const witnesses = creds.map((c, k) => {
      const i = k + 1
      const fromTails = R.createWitness(i, L, false, fullDelta, accessor)
      const later = { issued: new Set([1, 2, 3].filter((j) => j > i)), revoked: new Set<number>() }
      const updated = R.updateWitness(c.witness, i, L, later, accessor)
      expect(updated.omega.equals(fromTails.omega)).toBe(true)
      return fromTails
    })
    const [w1, wt] = time(() => R.createWitness(1, L, false, fullDelta, accessor))
    console.log(`witness from tails (2 others): ${wt.toFixed(1)} ms`)
    expect(w1.omega.equals(witnesses[0]!.omega)).toBe(true)

    // holder processing: vr'' += vr', then the three pairing checks of _test_witness_signature
    const processed = creds.map((c, k) =>
      R.processNonRevocationCredential(c.signature, vrPrimes[k]!, pk, revPub, registry, witnesses[k]!),
    )
    // e(g_i, acc) = e(g, ω) · z
    for (let k = 0; k < 3; k++) expect(R.isWitnessValid(processed[k]!, pk, revPub, registry, witnesses[k]!)).toBe(true)
    // an unprocessed credential (vr' missing) fails the signature check
    expect(() => R.checkWitnessSignature(creds[0]!.signature, pk, revPub, registry, witnesses[0]!)).toThrowError(
      expect.objectContaining({ code: 'anoncreds.signature_invalid' }),
    )

    // revoke 2
    const [rev, revMs] = time(() => R.revokeCredential(registry, pk, revPriv, L, 2))
    console.log(`accumulator update (revoke one): ${revMs.toFixed(1)} ms`)
    expect(rev.registry.accum.equals(sumTails([1, 3]))).toBe(true)
    expect(rev.delta.prevAccum?.equals(registry.accum)).toBe(true)
    const w1b = R.updateWitness(witnesses[0]!, 1, L, rev.delta, accessor)
    expect(R.isWitnessValid(processed[0]!, pk, revPub, rev.registry, w1b)).toBe(true)
    expect(R.isWitnessValid(processed[0]!, pk, revPub, rev.registry, witnesses[0]!)).toBe(false)
    const w2b = R.updateWitness(witnesses[1]!, 2, L, rev.delta, accessor)
    expect(R.isWitnessValid(processed[1]!, pk, revPub, rev.registry, w2b)).toBe(false)

    // unrevoke 2: back to the same accumulator; merged delta is empty
    const unrev = R.unrevokeCredential(rev.registry, pk, revPriv, L, 2)
    expect(unrev.registry.accum.equals(registry.accum)).toBe(true)
    const merged = R.mergeDeltas(rev.delta, unrev.delta)
    expect(merged.accum.equals(registry.accum)).toBe(true)
    expect([...merged.issued, ...merged.revoked]).toEqual([])
    expect(() => R.mergeDeltas(rev.delta, rev.delta)).toThrow()

    // batch update: issue 4 and 5, revoke 1
    const upd = R.updateRevocationRegistry(registry, pk, revPriv, L, [4, 5], [1])
    expect(upd.registry.accum.equals(sumTails([2, 3, 4, 5]))).toBe(true)
    const w3 = R.updateWitness(witnesses[2]!, 3, L, upd.delta, accessor)
    expect(R.isWitnessValid(processed[2]!, pk, revPub, upd.registry, w3)).toBe(true)
  })

  it('issuance by default: accumulator holds every tail; Witness::new from revoked set', () => {
    const registry = R.initialRevocationRegistry(pk, revPriv, L, true)
    expect(registry.accum.equals(sumTails([1, 2, 3, 4, 5, 6]))).toBe(true)
    const blind = R.blindRevocationSecret(pk)
    const res = R.issueNonRevocationCredential({
      revIdx: 4,
      credentialContext: 42n,
      ur: blind.ur,
      publicKey: pk,
      privateKey: sk,
      maxCredNum: L,
      issuanceByDefault: true,
      registry,
      revKeyPrivate: revPriv,
    })
    expect(res.delta).toBeUndefined()
    expect(res.registry.accum.equals(registry.accum)).toBe(true)
    const w = R.createWitness(4, L, true, { issued: new Set(), revoked: new Set() }, accessor)
    expect(w.omega.equals(res.witness.omega)).toBe(true)
    const cred = R.processNonRevocationCredential(res.signature, blind.vr_prime, pk, revPub, registry, w)
    expect(cred.i).toBe(4)
    expect(() => R.createWitness(0, L, true, { issued: new Set(), revoked: new Set() }, accessor)).toThrow()
    expect(() => R.createWitness(L + 1, L, true, { issued: new Set(), revoked: new Set() }, accessor)).toThrow()
  })

  describe('non-revocation proof', () => {
    const credentialContext = 0x1234567890abcdef1234567890abcdef1234567890abcdefn
    const registry0 = R.initialRevocationRegistry(pk, revPriv, L, true)
    const blind = R.blindRevocationSecret(pk)
    const issued = R.issueNonRevocationCredential({
      revIdx: 2,
      credentialContext,
      ur: blind.ur,
      publicKey: pk,
      privateKey: sk,
      maxCredNum: L,
      issuanceByDefault: true,
      registry: registry0,
      revKeyPrivate: revPriv,
    })
    const cred = R.processNonRevocationCredential(issued.signature, blind.vr_prime, pk, revPub, registry0, issued.witness)
    const nonce = bn.toBytes(987654321987654321n)

    /** The holder's side with a standalone Fiat–Shamir hash (tau ‖ c ‖ nonce, as clsignatures orders it). */
    function prove(registry: R.RevocationRegistry, witness: R.Witness) {
      const m2Tilde = bn.randomBits(256)
      const init = R.initNonRevocationProof(cred, registry, pk, witness, m2Tilde)
      const ch = bn.hashList([...R.tauListBytes(init.tau_list), ...R.cListBytes(init.c_list), nonce])
      const proof = R.finalizeNonRevocationProof(init, ch)
      // the primary equality proof's m2 response: m2~ + c·m2
      return { proof, ch, m2Response: m2Tilde + ch * credentialContext }
    }
    function verify(registry: R.RevocationRegistry, p: ReturnType<typeof prove>): boolean {
      const tau = R.verifyNonRevocationProof(pk, registry, revPub, p.ch, p.m2Response, p.proof)
      return bn.hashList([...R.tauListBytes(tau), ...R.cListBytes(p.proof.c_list), nonce]) === p.ch
    }

    it('verifies for a credential in the accumulator', () => {
      const [p, proveMs] = time(() => prove(registry0, issued.witness))
      const [ok, verifyMs] = time(() => verify(registry0, p))
      console.log(`non-revocation proof: prove ${proveMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms`)
      expect(ok).toBe(true)
      expect(R.xListAsList(p.proof.x_list)).toHaveLength(13)
    })

    it('fails for a revoked credential, a wrong m2, or a tampered c list', () => {
      const rev = R.revokeCredential(registry0, pk, revPriv, L, 2)
      const w = R.updateWitness(issued.witness, 2, L, rev.delta, accessor)
      expect(verify(rev.registry, prove(rev.registry, w))).toBe(false)
      // a proof made against the old registry does not verify against the new one
      const old = prove(registry0, issued.witness)
      expect(verify(rev.registry, old)).toBe(false)
      // unrevoked again: verifies
      const unrev = R.unrevokeCredential(rev.registry, pk, revPriv, L, 2)
      expect(verify(unrev.registry, prove(unrev.registry, issued.witness))).toBe(true)
      const good = prove(registry0, issued.witness)
      expect(verify(registry0, { ...good, m2Response: good.m2Response + 1n })).toBe(false)
      const tampered = { ...good.proof, c_list: { ...good.proof.c_list, w: good.proof.c_list.w.add(pk.h_cap) } }
      expect(verify(registry0, { ...good, proof: tampered })).toBe(false)
    })
  })
})
