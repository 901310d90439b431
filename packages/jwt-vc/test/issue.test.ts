import { b64uEncode } from '@bonafide/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bitstringStatusEntry, decodeJwtVc, issueJwtVc, issueJwtVcBatch, verifyJwtVc } from '../src/index.js'
import { clock, decodePart, degree, didIssuer, newSigner } from './helpers.js'

const issuer = didIssuer('jwk')
const base = { signer: issuer.signer, issuer: issuer.did, credential: degree, clock }
const policy = { issuerKeys: { did: true }, clock }

describe('batch issuance', () => {
  it('one credential per holder key, each with a fresh id/jti and its own status entry', async () => {
    const holders = Array.from({ length: 5 }, () => newSigner().publicJwk)
    for (const version of ['1.1', '2.0'] as const) {
      const { credentials, audit } = await issueJwtVcBatch({
        ...base,
        version,
        entries: holders.map((holderKey, i) => ({
          holderKey,
          credentialStatus: bitstringStatusEntry({ statusListCredential: 'https://issuer.example/status/1', index: 100 + i }),
        })),
      })
      expect(credentials).toHaveLength(5)
      expect(new Set(audit.ids).size).toBe(5)
      for (const [i, jwt] of credentials.entries()) {
        const r = await verifyJwtVc(jwt, policy)
        expect(r.holderKey).toEqual(holders[i])
        expect(r.credential.id).toBe(audit.ids[i])
        expect(r.credential.credentialStatus).toMatchObject({ statusListIndex: String(100 + i) })
        if (version === '1.1') expect(decodePart(jwt, 1).jti).toBe(audit.ids[i])
      }
    }
  })

  it('refuses repeated holder keys or status entries, shared id/credentialStatus, and an empty batch, before signing', async () => {
    const k = newSigner().publicJwk
    await expect(issueJwtVcBatch({ ...base, entries: [{ holderKey: k }, { holderKey: k }] })).rejects.toMatchObject({
      code: 'jwt_vc.batch_entry_invalid',
      details: { index: 1 },
    })
    const s = bitstringStatusEntry({ statusListCredential: 'https://issuer.example/status/1', index: 1 })
    await expect(issueJwtVcBatch({ ...base, entries: [{ credentialStatus: s }, { credentialStatus: s }] })).rejects.toMatchObject(
      {
        code: 'jwt_vc.batch_entry_invalid',
      },
    )
    await expect(issueJwtVcBatch({ ...base, credential: { ...degree, id: 'urn:x' }, entries: [{}] })).rejects.toMatchObject({
      code: 'jwt_vc.batch_entry_invalid',
    })
    await expect(issueJwtVcBatch({ ...base, entries: [] })).rejects.toMatchObject({ code: 'jwt_vc.batch_entry_invalid' })
  })
})

describe('issuance checks', () => {
  it('an injected schema validator refuses with the failing fields (jwt_vc.schema_invalid)', async () => {
    const validateSchema = (c: Record<string, unknown>) => {
      const s = c.credentialSubject as Record<string, unknown>
      return typeof s.gpa === 'number'
        ? { valid: true, errors: [] }
        : { valid: false, errors: [{ path: '/credentialSubject/gpa', message: 'must be number' }] }
    }
    await expect(issueJwtVc({ ...base, validateSchema })).rejects.toMatchObject({
      code: 'jwt_vc.schema_invalid',
      details: { errors: [{ path: '/credentialSubject/gpa', message: 'must be number' }] },
    })
    const ok = await issueJwtVc({ ...base, credential: { ...degree, credentialSubject: { gpa: 3.8 } }, validateSchema })
    expect((await verifyJwtVc(ok, policy)).credential.credentialSubject).toEqual({ gpa: 3.8 })
    await expect(issueJwtVcBatch({ ...base, validateSchema, entries: [{}, {}] })).rejects.toMatchObject({
      code: 'jwt_vc.schema_invalid',
      details: { index: 0 },
    })
  })

  it('refuses input that would not make a credential', async () => {
    for (const o of [
      { ...base, issuer: undefined },
      { ...base, credential: { type: ['VerifiableCredential'] } },
      { ...base, credential: { ...degree, proof: {} } },
      { ...base, credential: { ...degree, '@context': ['https://example.org/ctx'] } },
      { ...base, validForSeconds: -5 },
      { ...base, version: '2.0' as const, credential: { ...degree, vc: {} } },
      { ...base, subjectId: 'did:example:x', credential: { ...degree, credentialSubject: [{}, {}] } },
    ])
      await expect(issueJwtVc(o as never)).rejects.toMatchObject({ code: 'jwt_vc.options_invalid' })
  })

  it('keeps a given id, omits it with id: false, and adds VerifiableCredential to type', async () => {
    const withId = await issueJwtVc({
      ...base,
      id: 'https://issuer.example/credentials/1',
      credential: { credentialSubject: {}, type: 'X' },
    })
    expect(decodeJwtVc(withId).credential).toMatchObject({
      id: 'https://issuer.example/credentials/1',
      type: ['VerifiableCredential', 'X'],
    })
    const noId = await issueJwtVc({ ...base, id: false })
    expect(decodePart(noId, 1)).not.toHaveProperty('jti')
  })
})

describe('robustness', () => {
  it('rejects malformed and oversized input with typed errors', async () => {
    const jwt = await issueJwtVc(base)
    const [h, p, s] = jwt.split('.') as [string, string, string]
    for (const [input, code] of [
      [42, 'jwt_vc.malformed'],
      ['', 'jwt_vc.malformed'],
      [`${h}.${p}`, 'jwt_vc.malformed'],
      [`${h}.${p}.${s}.x`, 'jwt_vc.malformed'],
      [`${h}..${s}`, 'jwt_vc.malformed'],
      [`${h}.${p}+.${s}`, 'jwt_vc.malformed'],
      [`${b64uEncode('[1]')}.${p}.${s}`, 'jwt_vc.malformed'],
      [`${h}.${b64uEncode('"str"')}.${s}`, 'jwt_vc.malformed'],
      [`${h}.${p}.${s}`.padEnd(200_000, 'A'), 'jwt_vc.too_large'],
    ] as const)
      await expect(verifyJwtVc(input as string, policy), String(input).slice(0, 40)).rejects.toMatchObject({ code })
    const big = await issueJwtVc({ ...base, credential: { ...degree, credentialSubject: { blob: 'x'.repeat(200_000) } } })
    await expect(verifyJwtVc(big, policy)).rejects.toMatchObject({ code: 'jwt_vc.too_large' })
    expect((await verifyJwtVc(big, { ...policy, maxLength: 1 << 20 })).issuer).toBe(issuer.did)
  })

  it('any flipped character of a JWT VC fails verification with a typed error', async () => {
    const jwt = await issueJwtVc({ ...base, version: '2.0' })
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: jwt.length - 1 }), fc.integer({ min: 1, max: 63 }), async (i, d) => {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
        const c = jwt[i] as string
        if (c === '.') return
        const flipped = `${jwt.slice(0, i)}${alphabet[(alphabet.indexOf(c) + d) % 64]}${jwt.slice(i + 1)}`
        const e = await verifyJwtVc(flipped, policy).then(
          () => undefined,
          (x: unknown) => x,
        )
        // The last base64url character may carry only padding bits; then the bytes are unchanged.
        if (e === undefined) expect(i === jwt.length - 1 || jwt[i + 1] === '.').toBe(true)
        else expect((e as { code: string }).code).toMatch(/^jwt_vc\./)
      }),
      { numRuns: 150 },
    )
  })
})
