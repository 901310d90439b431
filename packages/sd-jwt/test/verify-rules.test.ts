import { b64uEncode, isVcError, type JsonObject } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createDisclosure,
  decodeSdJwt,
  issueSdJwt,
  joinCompact,
  presentSdJwt,
  signJwt,
  type VerifySdJwtOptions,
  verifySdJwt,
} from '../src/index.js'

const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const NOW = 1_700_000_000
const clock = { now: () => NOW * 1000 }
const opts: VerifySdJwtOptions = { issuerKey: () => issuer.publicJwk, clock }

/** Sign an arbitrary payload and attach arbitrary disclosures (to build hostile SD-JWTs). */
async function craft(payload: JsonObject, disclosures: string[], header: JsonObject = {}): Promise<string> {
  return joinCompact(await signJwt(header, payload, issuer), disclosures)
}
const d3 = (name: string, value: unknown) => createDisclosure('sha-256', 'c2FsdHNhbHRzYWx0c2FsdA', name, value as never)
const d2 = (value: unknown) => createDisclosure('sha-256', 'c2FsdHNhbHRzYWx0c2FsdA', undefined, value as never)
const rejects = (token: string, code: string, o: VerifySdJwtOptions = opts) =>
  expect(verifySdJwt(token, o)).rejects.toMatchObject({ code })

describe('RFC 9901 §7.1 verification of the SD-JWT', () => {
  it('§7.1(2a) rejects alg none', async () => {
    const t = `${b64uEncode('{"alg":"none"}')}.${b64uEncode('{}')}.~`
    await expect(verifySdJwt(t, opts)).rejects.toMatchObject({ code: 'jose.malformed' })
    const t2 = `${b64uEncode('{"alg":"none"}')}.${b64uEncode('{}')}.AAAA~`
    await rejects(t2, 'jose.alg_none')
  })
  it('§7.1(2b) rejects a bad issuer signature', async () => {
    const t = await issueSdJwt({ payload: { a: 1 }, signer: signerFromPrivateJwk(generatePrivateJwk('ES256')) })
    await rejects(t, 'sd_jwt.issuer_signature_invalid')
  })
  it('§7.1(2d) rejects an unknown _sd_alg', async () => {
    await rejects(await craft({ _sd_alg: 'md5', _sd: [] }, []), 'sd_jwt.hash_alg_unsupported')
  })
  it('§7.1(3a) digests the ASCII of the disclosure: a re-encoded disclosure does not match', async () => {
    const d = d3('a', 1)
    const reencoded = b64uEncode(JSON.stringify(['c2FsdHNhbHRzYWx0c2FsdA', 'a', 1]).replace(',', ', '))
    expect(reencoded).not.toBe(d.encoded)
    await rejects(await craft({ _sd: [d.digest] }, [reencoded]), 'sd_jwt.disclosure_unreferenced')
    const ok = await verifySdJwt(await craft({ _sd: [d.digest] }, [d.encoded]), opts)
    expect(ok.claims).toEqual({ a: 1 })
  })
  it('§7.1(3c.i) ignores digests without a disclosure (decoys)', async () => {
    const r = await verifySdJwt(await craft({ _sd: ['x'.repeat(43)], b: 2 }, []), opts)
    expect(r.claims).toEqual({ b: 2 })
  })
  it('§7.1(3c.ii.1) rejects a 2-element disclosure in an object', async () => {
    const d = d2(1)
    await rejects(await craft({ _sd: [d.digest] }, [d.encoded]), 'sd_jwt.disclosure_wrong_form')
  })
  it('§7.1(3c.ii.2) rejects _sd and ... as claim names', async () => {
    for (const name of ['_sd', '...']) {
      const d = d3(name, 1)
      await rejects(await craft({ _sd: [d.digest] }, [d.encoded]), 'sd_jwt.claim_name_reserved')
    }
  })
  it('§7.1(3c.ii.3) rejects a claim name that already exists at that level', async () => {
    const d = d3('a', 2)
    await rejects(await craft({ a: 1, _sd: [d.digest] }, [d.encoded]), 'sd_jwt.claim_name_collision')
    const e = d3('b', 1)
    const f = createDisclosure('sha-256', 'b3RoZXJzYWx0b3RoZXJzYQ', 'b', 2)
    await rejects(await craft({ _sd: [e.digest, f.digest] }, [e.encoded, f.encoded]), 'sd_jwt.claim_name_collision')
  })
  it('§7.1(3c.iii.1) rejects a 3-element disclosure in an array', async () => {
    const d = d3('a', 1)
    await rejects(await craft({ arr: [{ '...': d.digest }] }, [d.encoded]), 'sd_jwt.disclosure_wrong_form')
  })
  it('§7.1(3b.ii) array digest objects have exactly one key', async () => {
    const d = d2(1)
    await rejects(await craft({ arr: [{ '...': d.digest, x: 1 }] }, [d.encoded]), 'sd_jwt.array_digest_invalid')
  })
  it('§7.1(3b.i) _sd must be an array of strings', async () => {
    await rejects(await craft({ _sd: 'abc' }, []), 'sd_jwt.sd_invalid')
    await rejects(await craft({ _sd: [1] }, []), 'sd_jwt.sd_invalid')
  })
  it('§7.1(4) rejects a digest that appears more than once', async () => {
    const d = d3('a', 1)
    await rejects(await craft({ _sd: [d.digest, d.digest] }, [d.encoded]), 'sd_jwt.digest_duplicate')
    const n = d3('n', { _sd: [d.digest] })
    await rejects(await craft({ _sd: [d.digest, n.digest] }, [d.encoded, n.encoded]), 'sd_jwt.digest_duplicate')
  })
  it('§7.1(4) rejects the same disclosure given twice', async () => {
    const d = d3('a', 1)
    await rejects(await craft({ _sd: [d.digest] }, [d.encoded, d.encoded]), 'sd_jwt.disclosure_duplicate')
  })
  it('§7.1(5) rejects an unreferenced disclosure', async () => {
    const d = d3('a', 1)
    await rejects(await craft({}, [d.encoded]), 'sd_jwt.disclosure_unreferenced')
  })
  it('§7.1(6) checks exp and nbf of the processed payload', async () => {
    await rejects(await craft({ exp: NOW - 3600 }, []), 'sd_jwt.expired')
    await rejects(await craft({ nbf: NOW + 3600 }, []), 'sd_jwt.not_yet_valid')
  })
  it('§4 rejects malformed serializations', async () => {
    const t = await issueSdJwt({ payload: { a: 1 }, disclosable: ['a'], signer: issuer })
    await rejects(t.replace('~', '~~'), 'sd_jwt.malformed')
    await rejects(t.slice(0, -1), 'sd_jwt.malformed')
    await rejects(t.split('~')[0] as string, 'sd_jwt.malformed')
    await rejects(`${t}not-a-jwt`, 'sd_jwt.malformed')
    await rejects(t.replace(/~[^~]+~$/, '~@@@~'), 'sd_jwt.malformed')
    await rejects(t.replace(/~[^~]+~$/, `~${b64uEncode('{"not":"array"}')}~`), 'sd_jwt.disclosure_invalid')
  })
})

describe('RFC 9901 §7.3 verification by the verifier (KB-JWT)', async () => {
  const sdJwt = await issueSdJwt({
    payload: { iss: 'https://issuer.example', iat: NOW, cnf: { jwk: holder.publicJwk as never }, a: 1, b: 2 },
    disclosable: ['a', 'b'],
    signer: issuer,
  })
  const kbOpts = { aud: 'https://verifier.example', nonce: 'n-123' }
  const present = (o: Partial<{ aud: string; nonce: string; iat: number; signer: typeof holder }> = {}) =>
    presentSdJwt(sdJwt, { disclose: ['a'], kb: { signer: holder, aud: kbOpts.aud, nonce: kbOpts.nonce, iat: NOW, ...o } })
  const policy = (o: object = {}): VerifySdJwtOptions => ({ ...opts, kb: { required: true, ...kbOpts, ...o } })

  it('accepts a valid SD-JWT+KB and hides undisclosed claims', async () => {
    const r = await verifySdJwt(await present(), policy())
    expect(r.claims.a).toBe(1)
    expect(r.claims).not.toHaveProperty('b')
    expect(r.kb?.payload.nonce).toBe('n-123')
  })
  it('§7.3(2) rejects a missing KB-JWT when the policy requires one', async () => {
    await rejects(await presentSdJwt(sdJwt, { disclose: ['a'] }), 'sd_jwt.kb_required', policy())
  })
  it('§7.3(1) the policy, not the token, decides: no KB needed when not required', async () => {
    const r = await verifySdJwt(await presentSdJwt(sdJwt, { disclose: ['a'] }), { ...opts, kb: { required: false } })
    expect(r.kb).toBeUndefined()
  })
  it('§7.3(5c) rejects a KB-JWT not signed with the cnf key', async () => {
    await rejects(
      await present({ signer: signerFromPrivateJwk(generatePrivateJwk('ES256')) }),
      'sd_jwt.kb_signature_invalid',
      policy(),
    )
  })
  it('§7.3(5d) rejects a KB-JWT whose typ is not kb+jwt', async () => {
    const base = await presentSdJwt(sdJwt, { disclose: ['a'] })
    const { sdHash } = await import('../src/kb-jwt.js')
    const kb = await signJwt(
      { typ: 'JWT' },
      { iat: NOW, aud: kbOpts.aud, nonce: kbOpts.nonce, sd_hash: sdHash('sha-256', base) },
      holder,
    )
    await rejects(base + kb, 'sd_jwt.kb_typ_invalid', policy())
  })
  it('§7.3(5e) rejects an iat outside the window', async () => {
    await rejects(await present({ iat: NOW - 3600 }), 'sd_jwt.kb_iat_invalid', policy())
    await rejects(await present({ iat: NOW + 3600 }), 'sd_jwt.kb_iat_invalid', policy())
  })
  it('§7.3(5f) rejects a wrong nonce and a wrong aud', async () => {
    await rejects(await present({ nonce: 'other' }), 'sd_jwt.kb_nonce_mismatch', policy())
    await rejects(await present({ aud: 'https://evil.example' }), 'sd_jwt.kb_aud_mismatch', policy())
  })
  it('§7.3(5g) rejects an sd_hash over other disclosures', async () => {
    const vp = await present()
    const other = (await presentSdJwt(sdJwt, { disclose: ['a', 'b'] })).split('~')
    const kb = vp.split('~').pop() as string
    await rejects(`${other.join('~')}${kb}`, 'sd_jwt.kb_sd_hash_mismatch', policy())
  })
  it('OpenID4VP §8.4 checks transaction_data_hashes', async () => {
    const td = [b64uEncode('{"type":"payment","amount":"10"}')]
    const vp = await presentSdJwt(sdJwt, { disclose: ['a'], kb: { signer: holder, ...kbOpts, iat: NOW, transactionData: td } })
    const r = await verifySdJwt(vp, policy({ transactionData: td }))
    expect(r.kb?.payload.transaction_data_hashes_alg).toBe('sha-256')
    await rejects(vp, 'sd_jwt.kb_transaction_data_mismatch', policy({ transactionData: [b64uEncode('{"other":1}')] }))
    await rejects(await present(), 'sd_jwt.kb_transaction_data_mismatch', policy({ transactionData: td }))
  })
  it('§7.2 a holder refuses to present an SD-JWT+KB', async () => {
    await expect(presentSdJwt(await present(), { disclose: ['a'] })).rejects.toMatchObject({ code: 'sd_jwt.kb_unexpected' })
  })
})

describe('presentation by claim path', async () => {
  const sdJwt = await issueSdJwt({
    payload: { address: { street: 'Main', city: 'X' }, nationalities: ['DE', 'FR'], degrees: [{ type: 'BSc' }, { type: 'MSc' }] },
    disclosable: [
      'address',
      'address.street',
      'address.city',
      'nationalities.0',
      'nationalities.1',
      'degrees.*',
      'degrees.*.type',
    ],
    signer: issuer,
  })
  const claims = async (disclose: (string | (string | number | null)[])[]) =>
    (await verifySdJwt(await presentSdJwt(sdJwt, { disclose }), opts)).claims
  it('brings the parents a nested disclosure needs', async () => {
    expect(await claims(['address.city'])).toEqual({ address: { city: 'X' }, nationalities: [], degrees: [] })
  })
  it('a path to an object discloses its children', async () => {
    expect((await claims(['address'])).address).toEqual({ street: 'Main', city: 'X' })
  })
  it('array indices and null wildcards', async () => {
    expect((await claims(['nationalities.1'])).nationalities).toEqual(['FR'])
    expect((await claims([['degrees', null, 'type']])).degrees).toEqual([{ type: 'BSc' }, { type: 'MSc' }])
  })
  it('refuses a path that is not in the credential', async () => {
    await expect(presentSdJwt(sdJwt, { disclose: ['address.zip'] })).rejects.toMatchObject({ code: 'sd_jwt.path_not_found' })
  })
  it('issuance refuses a disclosable path that is not in the claims, and reserved names', async () => {
    await expect(issueSdJwt({ payload: { a: 1 }, disclosable: ['b'], signer: issuer })).rejects.toMatchObject({
      code: 'sd_jwt.path_not_found',
    })
    await expect(issueSdJwt({ payload: { _sd: 1 }, signer: issuer })).rejects.toMatchObject({
      code: 'sd_jwt.claim_name_reserved',
    })
  })
})

describe('properties', () => {
  const arbClaims = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['_sd', '...', '_sd_alg'].includes(k)),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
    { minKeys: 1, maxKeys: 6 },
  )
  it('presentation hides undisclosed claims and keeps disclosed ones', async () => {
    await fc.assert(
      fc.asyncProperty(arbClaims, fc.infiniteStream(fc.boolean()), async (c, coin) => {
        const keys = Object.keys(c)
        const sd = keys.filter(() => coin.next().value)
        const shown = sd.filter(() => coin.next().value)
        const vp = await presentSdJwt(await issueSdJwt({ payload: c, disclosable: sd.map((k) => [k]), signer: issuer }), {
          disclose: shown.map((k) => [k]),
        })
        const r = await verifySdJwt(vp, opts)
        const expected = keys.filter((k) => !sd.includes(k) || shown.includes(k)).sort()
        expect(Object.keys(r.claims).sort()).toEqual(expected)
        for (const k of expected) expect(r.claims[k]).toEqual(c[k])
      }),
      { numRuns: 60 },
    )
  })
  it('__proto__ and constructor as claim names pollute nothing', async () => {
    const payload = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"x":1}}')
    const vp = await issueSdJwt({ payload, disclosable: ['__proto__', 'constructor'], signer: issuer })
    const r = await verifySdJwt(vp, opts)
    expect(Object.hasOwn(r.claims, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(r.claims)).toBe(Object.prototype)
  })
  it('fuzz: mutated and random tokens only ever fail with typed errors, quickly', async () => {
    const good = await presentSdJwt(
      await issueSdJwt({ payload: { a: 1, b: { c: [1, 2] } }, disclosable: ['a', 'b', 'b.c.0'], signer: issuer }),
      {
        disclose: 'all',
      },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc
            .tuple(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
            .map(([i, s]) => good.slice(0, i) + s + good.slice(i + 1)),
          fc
            .tuple(fc.nat(good.length - 1), fc.nat(good.length - 1))
            .map(([i, j]) => good.slice(0, Math.min(i, j)) + good.slice(Math.max(i, j))),
        ),
        async (t) => {
          try {
            await verifySdJwt(t, opts)
            return true
          } catch (e) {
            return isVcError(e)
          }
        },
      ),
      { numRuns: 400 },
    )
  })
  it('bounds depth, size and disclosure count', async () => {
    let deep: unknown = 1
    for (let i = 0; i < 200; i++) deep = { a: deep }
    await rejects(await craft({ deep } as JsonObject, []), 'sd_jwt.too_deep')
    await rejects('a'.repeat(600 * 1024), 'sd_jwt.too_large')
    await rejects(`a.b.c~${'AAAA~'.repeat(2000)}`, 'sd_jwt.too_many_disclosures')
  })
})

it('decodeSdJwt maps each disclosure to its path', async () => {
  const t = await issueSdJwt({ payload: { a: { b: 1 } }, disclosable: ['a', 'a.b'], signer: issuer })
  const d = decodeSdJwt(t)
  expect(d.paths.map((p) => p.path)).toEqual([['a'], ['a', 'b']])
})
