import { b64uEncode, type JsonObject, type StatusChecker } from '@bonafide/core'
import { createDidKey } from '@bonafide/did'
import { checkAudience, parseCompactJws, signCompactJws, verifyJwsSignature } from '@bonafide/jose'
import { createJwtVp, issueJwtVc } from '@bonafide/jwt-vc'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueMdoc, openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { issueSdJwtVc, presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { Openid4vpError } from '../src/errors.js'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import { jwtVcJsonValidator } from '../src/formats/jwt-vc-json.js'
import {
  parsePresentationDefinition,
  parsePresentationSubmission,
  type ValidatePexResponseOptions,
  validatePexResponse,
} from '../src/pex/index.js'
import { MemoryNonceGuard, type PresentationValidator, type ValidationContext } from '../src/validate.js'

const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const CLIENT = 'x509_san_dns:verifier.example'
const RESPONSE_URI = 'https://verifier.example/post'
const PID = 'urn:eudi:pid:1'
const MDL = 'org.iso.18013.5.1.mDL'
const NS = 'org.iso.18013.5.1'

async function pid(nonce: string, disclose = ['age_over_18'], vct = PID) {
  const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const vc = await issueSdJwtVc({
    signer: issuer,
    iss: 'https://issuer.example',
    vct,
    claims: { given_name: 'Erika', family_name: 'Mustermann', age_over_18: true, nationality: 'DE' },
    disclosable: ['given_name', 'family_name', 'age_over_18', 'nationality'],
    holderKey: holder.publicJwk,
  })
  return presentSdJwt(vc, { disclose, kb: { signer: holder, aud: CLIENT, nonce } })
}

/** Wraps a validator to record the binding policy each call was given. */
function spy(v: PresentationValidator, calls: ValidationContext[]): PresentationValidator {
  return {
    format: v.format,
    validate: (p, ctx) => {
      calls.push(ctx)
      return v.validate(p, ctx)
    },
  }
}

const pidD = (extra: JsonObject = {}) => ({
  id: 'pid',
  format: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } },
  constraints: {
    limit_disclosure: 'required',
    fields: [
      { path: ['$.vct'], filter: { type: 'string', const: PID } },
      { path: ['$.age_over_18'], filter: { type: 'boolean', const: true } },
    ],
  },
  ...extra,
})
const mdlD = (extra: JsonObject = {}) => ({
  id: MDL,
  format: { mso_mdoc: { alg: ['ES256'] } },
  constraints: { limit_disclosure: 'required', fields: [{ path: [`$['${NS}']['age_over_18']`], intent_to_retain: false }] },
  ...extra,
})
const entry = (id: string, format: string, path: string) => ({ id, format, path })

describe('Presentation Exchange 2.1.1 responses (OpenID4VP with presentation_definition)', async () => {
  const pki = await createDevChain()
  const ds = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  async function mdl(nonce: string, disclose = ['age_over_18'], docType = MDL) {
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const issuerSigned = await issueMdoc({
      signer: ds,
      x5chain: [pki.leaf.der],
      docType,
      claims: { [NS]: { age_over_18: true, family_name: 'M' } },
      deviceKey: holder.publicJwk,
    })
    const st = openid4vpSessionTranscript({ clientId: CLIENT, nonce, responseUri: RESPONSE_URI })
    return b64uEncode(
      await presentMdoc({ issuerSigned, disclose: { [NS]: disclose }, deviceSigner: holder, sessionTranscript: st }),
    )
  }
  const sdCalls: ValidationContext[] = []
  const mdocCalls: ValidationContext[] = []
  const validators = [
    spy(sdJwtVcValidator({ issuerKeys: { keys: [issuer.publicJwk] } }), sdCalls),
    spy(msoMdocValidator({ trustAnchors: [pki.root.pem] }), mdocCalls),
  ]
  let n = 0
  const fresh = () => `pex-nonce-${++n}`
  const run = (pd: unknown, map: unknown[], vpToken: unknown, nonce: string, extra: Partial<ValidatePexResponseOptions> = {}) =>
    validatePexResponse({
      definition: parsePresentationDefinition(pd),
      submission: parsePresentationSubmission({ id: 'sub-1', definition_id: (pd as { id: string }).id, descriptor_map: map }),
      vpToken,
      validators,
      clientId: CLIENT,
      nonce,
      responseUri: RESPONSE_URI,
      nonceGuard: extra.nonceGuard ?? new MemoryNonceGuard(),
      ...extra,
    })
  const both = { id: 'pd-1', input_descriptors: [pidD(), mdlD()] }
  const bothMap = [entry('pid', 'dc+sd-jwt', '$[0]'), entry(MDL, 'mso_mdoc', '$[1]')]

  it('§Presentation Submission: PID (dc+sd-jwt) + mDL (mso_mdoc), both valid → accepted, each format validator runs', async () => {
    const nonce = fresh()
    sdCalls.length = 0
    mdocCalls.length = 0
    const r = await run(both, bothMap, [await pid(nonce), await mdl(nonce)], nonce)
    expect(r.error).toBeUndefined()
    expect(r.valid).toBe(true)
    expect(r.descriptors.map((d) => [d.descriptorId, d.format, d.valid])).toEqual([
      ['pid', 'dc+sd-jwt', true],
      [MDL, 'mso_mdoc', true],
    ])
    expect([sdCalls.length, mdocCalls.length]).toEqual([1, 1])
    expect(sdCalls[0]?.query.require_cryptographic_holder_binding).toBe(true)
    expect(r.descriptors[1]?.claims[0]).toEqual({ [NS]: { age_over_18: true } })
    expect(r.descriptors[0]?.overDisclosed).toEqual([[]])
  })
  it('a single presentation is the vp_token itself, path "$"', async () => {
    const nonce = fresh()
    const r = await run({ id: 'pd-1', input_descriptors: [pidD()] }, [entry('pid', 'dc+sd-jwt', '$')], await pid(nonce), nonce)
    expect(r.valid).toBe(true)
  })
  it('§Input Descriptor: all descriptors are required without submission_requirements — one missing → rejected', async () => {
    const nonce = fresh()
    const r = await run(both, [entry('pid', 'dc+sd-jwt', '$[0]')], [await pid(nonce)], nonce)
    expect(r.valid).toBe(false)
    expect(r.error?.code).toBe('openid4vp.pex_descriptor_missing')
    expect(r.descriptors[1]).toMatchObject({ present: false, valid: false })
  })

  describe('§Submission Requirement Feature', () => {
    const grouped = (reqs: unknown) => ({
      id: 'pd-sr',
      input_descriptors: [pidD({ group: ['A'] }), mdlD({ group: ['A', 'M'] })],
      submission_requirements: reqs,
    })
    const cases: [string, unknown, 'pid' | 'mdl' | 'both', boolean][] = [
      ['pick count 1, one submitted', [{ rule: 'pick', count: 1, from: 'A' }], 'mdl', true],
      ['pick count 1, two submitted (count is exact)', [{ rule: 'pick', count: 1, from: 'A' }], 'both', false],
      ['pick min 2, one submitted', [{ rule: 'pick', min: 2, from: 'A' }], 'pid', false],
      ['pick min 2, two submitted', [{ rule: 'pick', min: 2, from: 'A' }], 'both', true],
      ['pick max 1, two submitted', [{ rule: 'pick', max: 1, from: 'A' }], 'both', false],
      ['pick min 1 max 2, one submitted', [{ rule: 'pick', min: 1, max: 2, from: 'A' }], 'pid', true],
      ['all from A, one submitted', [{ rule: 'all', from: 'A' }], 'pid', false],
      [
        'all from M and pick 1 from A, mdl submitted',
        [
          { rule: 'all', from: 'M' },
          { rule: 'pick', count: 1, from: 'A' },
        ],
        'mdl',
        true,
      ],
      [
        'from_nested pick 1 of [all M, pick 2 A], mdl submitted',
        [
          {
            rule: 'pick',
            count: 1,
            from_nested: [
              { rule: 'all', from: 'M' },
              { rule: 'pick', count: 2, from: 'A' },
            ],
          },
        ],
        'mdl',
        true,
      ],
      [
        'from_nested pick 1 of [all M, pick 2 A], both submitted (two nested met)',
        [
          {
            rule: 'pick',
            count: 1,
            from_nested: [
              { rule: 'all', from: 'M' },
              { rule: 'pick', count: 2, from: 'A' },
            ],
          },
        ],
        'both',
        false,
      ],
      [
        'from_nested all of [all M, pick 1 A], pid submitted',
        [
          {
            rule: 'all',
            from_nested: [
              { rule: 'all', from: 'M' },
              { rule: 'pick', count: 1, from: 'A' },
            ],
          },
        ],
        'pid',
        false,
      ],
    ]
    it.each(cases)('%s', async (_, reqs, submit, want) => {
      const nonce = fresh()
      const token: string[] = []
      const map: unknown[] = []
      if (submit !== 'mdl') map.push(entry('pid', 'dc+sd-jwt', `$[${token.push(await pid(nonce)) - 1}]`))
      if (submit !== 'pid') map.push(entry(MDL, 'mso_mdoc', `$[${token.push(await mdl(nonce)) - 1}]`))
      const r = await run(grouped(reqs), map, token, nonce)
      expect(r.valid).toBe(want)
      if (!want) {
        expect(r.unsatisfiedRequirements.length).toBeGreaterThan(0)
        expect(r.error?.code).toBe('openid4vp.pex_requirements_unsatisfied')
      }
    })
  })

  it('§Presentation Submission format: an mdoc submitted for a descriptor that accepts only dc+sd-jwt → that descriptor rejected', async () => {
    const nonce = fresh()
    const r = await run(
      both,
      [entry('pid', 'mso_mdoc', '$[1]'), entry(MDL, 'mso_mdoc', '$[1]')],
      [await pid(nonce), await mdl(nonce)],
      nonce,
    )
    expect(r.valid).toBe(false)
    expect(r.descriptors.map((d) => d.valid)).toEqual([false, true])
    expect(r.descriptors[0]?.error?.code).toBe('openid4vp.pex_format_not_accepted')
  })
  it('a descriptor_map format that lies about the presentation fails in the format validator', async () => {
    const nonce = fresh()
    const pd = { id: 'pd-any', input_descriptors: [{ ...pidD(), format: undefined }] }
    const r = await run(pd, [entry('pid', 'mso_mdoc', '$')], await pid(nonce), nonce)
    expect(r.valid).toBe(false)
    expect(r.descriptors[0]?.error?.code).toMatch(/^(openid4vp|mdoc|core)\./)
  })
  it('§Input Evaluation: a filter const failure (another vct) → rejected', async () => {
    const nonce = fresh()
    const r = await run(
      { id: 'p', input_descriptors: [pidD()] },
      [entry('pid', 'dc+sd-jwt', '$')],
      await pid(nonce, ['age_over_18'], 'urn:other'),
      nonce,
    )
    expect(r.valid).toBe(false)
    expect(r.descriptors[0]?.error?.code).toBe('openid4vp.pex_field_unmatched')
  })
  it('§Input Evaluation: a filter pattern failure → rejected; the second path alternative is tried first', async () => {
    const d = (pattern: string) => ({
      id: 'pid',
      constraints: { fields: [{ path: ['$.citizenship', '$.nationality'], filter: { type: 'string', pattern } }] },
    })
    const n1 = fresh()
    const ok = await run(
      { id: 'p', input_descriptors: [d('^(DE|FR)$')] },
      [entry('pid', 'dc+sd-jwt', '$')],
      await pid(n1, ['nationality']),
      n1,
    )
    expect(ok.valid).toBe(true)
    const n2 = fresh()
    const bad = await run(
      { id: 'p', input_descriptors: [d('^(IT|ES)$')] },
      [entry('pid', 'dc+sd-jwt', '$')],
      await pid(n2, ['nationality']),
      n2,
    )
    expect(bad.descriptors[0]?.error?.code).toBe('openid4vp.pex_field_unmatched')
  })
  it('§Input Evaluation: a required field that was not disclosed → rejected; an optional one may be absent', async () => {
    const withName = (optional: boolean) => ({
      id: 'p',
      input_descriptors: [
        { id: 'pid', constraints: { fields: [{ path: ['$.age_over_18'] }, { path: ['$.given_name'], optional }] } },
      ],
    })
    const n1 = fresh()
    const r = await run(withName(false), [entry('pid', 'dc+sd-jwt', '$')], await pid(n1), n1)
    expect(r.descriptors[0]?.error?.code).toBe('openid4vp.pex_field_unmatched')
    const n2 = fresh()
    expect((await run(withName(true), [entry('pid', 'dc+sd-jwt', '$')], await pid(n2), n2)).valid).toBe(true)
  })
  it('§Limited Disclosure Submissions: over-disclosure under limit_disclosure=required is rejected, or flagged when asked', async () => {
    const nonce = fresh()
    const token = [await pid(nonce, ['age_over_18', 'given_name']), await mdl(nonce, ['age_over_18', 'family_name'])]
    const r = await run(both, bothMap, token, nonce)
    expect(r.valid).toBe(false)
    expect(r.descriptors.map((d) => d.error?.code)).toEqual(['openid4vp.pex_limit_disclosure', 'openid4vp.pex_limit_disclosure'])
    const n2 = fresh()
    const token2 = [await pid(n2, ['age_over_18', 'given_name']), await mdl(n2, ['age_over_18', 'family_name'])]
    const flagged = await run(both, bothMap, token2, n2, { limitDisclosure: 'flag' })
    expect(flagged.valid).toBe(true)
    expect(flagged.descriptors.map((d) => d.overDisclosed)).toEqual([[["$['given_name']"]], [[`$['${NS}']['family_name']`]]])
    const n3 = fresh()
    const preferred = {
      id: 'p',
      input_descriptors: [{ ...pidD(), constraints: { ...pidD().constraints, limit_disclosure: 'preferred' } }],
    }
    const p = await run(preferred, [entry('pid', 'dc+sd-jwt', '$')], await pid(n3, ['age_over_18', 'given_name']), n3)
    expect(p.valid).toBe(true)
    expect(p.descriptors[0]?.overDisclosed).toEqual([["$['given_name']"]])
  })
  it('ISO/IEC 18013-7 Annex B: an mdoc whose doctype is not the input descriptor id → rejected', async () => {
    const nonce = fresh()
    const pd = { id: 'p', input_descriptors: [{ ...mdlD(), id: 'org.iso.23220.photoid.1' }] }
    const r = await run(pd, [entry('org.iso.23220.photoid.1', 'mso_mdoc', '$')], await mdl(nonce), nonce)
    expect(r.descriptors[0]?.error?.code).toBe('openid4vp.pex_doctype_mismatch')
  })
  it('nonce reuse is refused (replay); a presentation bound to another nonce fails holder binding', async () => {
    const guard = new MemoryNonceGuard()
    const nonce = fresh()
    const token = await pid(nonce)
    const pd = { id: 'p', input_descriptors: [pidD()] }
    const map = [entry('pid', 'dc+sd-jwt', '$')]
    expect((await run(pd, map, token, nonce, { nonceGuard: guard })).valid).toBe(true)
    expect((await run(pd, map, token, nonce, { nonceGuard: guard })).error?.code).toBe('openid4vp.replay')
    expect((await run(pd, map, token, fresh())).descriptors[0]?.error?.code).toBe('sd_jwt.kb_nonce_mismatch')
  })
  it('rejects a submission for another definition, unknown descriptor ids, paths that select nothing and a malformed vp_token', async () => {
    const pd = parsePresentationDefinition({ id: 'p', input_descriptors: [pidD()] })
    const nonce = fresh()
    const token = await pid(nonce)
    const base = { definition: pd, vpToken: token, validators, clientId: CLIENT, nonce, nonceGuard: new MemoryNonceGuard() }
    const sub = (definition_id: string, map: unknown[]) =>
      parsePresentationSubmission({ id: 's', definition_id, descriptor_map: map })
    expect((await validatePexResponse({ ...base, submission: sub('other', [entry('pid', 'dc+sd-jwt', '$')]) })).error?.code).toBe(
      'openid4vp.pex_definition_mismatch',
    )
    const unknown = await validatePexResponse({ ...base, nonce: fresh(), submission: sub('p', [entry('x', 'dc+sd-jwt', '$')]) })
    expect(unknown.error?.code).toBe('openid4vp.pex_unknown_descriptor')
    const n3 = fresh()
    const nothing = await run({ id: 'p', input_descriptors: [pidD()] }, [entry('pid', 'dc+sd-jwt', '$[3]')], [await pid(n3)], n3)
    expect(nothing.descriptors[0]?.error?.code).toBe('openid4vp.pex_path_not_found')
    const n4 = fresh()
    expect((await run({ id: 'p', input_descriptors: [pidD()] }, [entry('pid', 'dc+sd-jwt', '$')], [], n4)).error?.code).toBe(
      'openid4vp.vp_token_invalid',
    )
    const n5 = fresh()
    const noValidator = await run(
      { id: 'p', input_descriptors: [{ id: 'x', constraints: {} }] },
      [entry('x', 'ldp_vc', '$')],
      { a: 1 },
      n5,
    )
    expect(noValidator.descriptors[0]?.error?.code).toBe('openid4vp.format_unsupported')
  })
  it('a revoked or suspended credential (status reported by the format validator) → rejected', async () => {
    const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const vc = await issueSdJwtVc({
      signer: issuer,
      iss: 'https://issuer.example',
      vct: PID,
      claims: { age_over_18: true },
      disclosable: ['age_over_18'],
      holderKey: holder.publicJwk,
      status: { status_list: { idx: 3, uri: 'https://issuer.example/status/1' } },
    })
    for (const [state, want] of [
      ['invalid', 'openid4vp.status_revoked'],
      ['suspended', 'openid4vp.status_suspended'],
      ['undetermined', 'openid4vp.status_undetermined'],
    ] as const) {
      const nonce = fresh()
      const checker: StatusChecker = { check: async () => ({ state }) }
      const r = await run(
        { id: 'p', input_descriptors: [pidD()] },
        [entry('pid', 'dc+sd-jwt', '$')],
        await presentSdJwt(vc, { disclose: ['age_over_18'], kb: { signer: holder, aud: CLIENT, nonce } }),
        nonce,
        {
          validators: [sdJwtVcValidator({ issuerKeys: { keys: [issuer.publicJwk] }, statusChecker: checker })],
        },
      )
      expect(r.descriptors[0]?.error?.code).toBe(want)
    }
  })
  it('atomic=false: a failing descriptor outside the met requirements does not reject the response', async () => {
    const nonce = fresh()
    const pd = {
      id: 'p',
      input_descriptors: [pidD({ group: ['A'] }), mdlD({ group: ['A'] })],
      submission_requirements: [{ rule: 'pick', min: 1, from: 'A' }],
    }
    const token = [await pid(nonce, ['age_over_18'], 'urn:other'), await mdl(nonce)]
    expect((await run(pd, bothMap, token, nonce)).valid).toBe(false)
    const n2 = fresh()
    const token2 = [await pid(n2, ['age_over_18'], 'urn:other'), await mdl(n2)]
    const lenient = await run(pd, bothMap, token2, n2, { atomic: false })
    expect(lenient.valid).toBe(true)
    expect(lenient.descriptors.map((d) => d.valid)).toEqual([false, true])
  })
})

describe('§Processing of Submission Entries: path_nested through a jwt_vp_json into a jwt_vc_json', () => {
  const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const vcIssuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const calls: { format: string; binding: boolean }[] = []
  // Test-only format validators over real JWS: the VP proves holder binding (aud, nonce), the VC its issuer.
  const jwtVp: PresentationValidator = {
    format: 'jwt_vp_json',
    async validate(p, ctx) {
      calls.push({ format: 'jwt_vp_json', binding: ctx.query.require_cryptographic_holder_binding })
      const jws = parseCompactJws(p)
      verifyJwsSignature(jws, holder.publicJwk)
      checkAudience(jws.payload, ctx.clientId)
      if (jws.payload.nonce !== ctx.nonce) throw new Openid4vpError('openid4vp.vp_token_invalid', 'nonce mismatch')
      return { claims: jws.payload }
    },
  }
  const jwtVc: PresentationValidator = {
    format: 'jwt_vc_json',
    async validate(p, ctx) {
      calls.push({ format: 'jwt_vc_json', binding: ctx.query.require_cryptographic_holder_binding })
      const jws = parseCompactJws(p)
      verifyJwsSignature(jws, vcIssuer.publicJwk)
      return { claims: jws.payload, issuer: String(jws.payload.iss) }
    },
  }
  const degree = {
    id: 'degree',
    format: { jwt_vc_json: { alg: ['ES256'] } },
    constraints: {
      fields: [
        { path: ['$.vc.type', '$.type'], filter: { type: 'array', contains: { const: 'UniversityDegreeCredential' } } },
        {
          path: ['$.credentialSubject.degree.type', '$.vc.credentialSubject.degree.type'],
          filter: { type: 'string', pattern: '^Bachelor' },
        },
      ],
    },
  }
  async function vp(nonce: string, degreeType = 'BachelorDegree') {
    const vcJwt = await signCompactJws(
      { typ: 'JWT' },
      {
        iss: 'did:example:university',
        sub: 'did:example:holder',
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', 'UniversityDegreeCredential'],
          credentialSubject: { degree: { type: degreeType } },
        },
      },
      vcIssuer,
    )
    return signCompactJws(
      { typ: 'JWT' },
      { iss: 'did:example:holder', aud: CLIENT, nonce, vp: { type: ['VerifiablePresentation'], verifiableCredential: [vcJwt] } },
      holder,
    )
  }
  const nested = (path = '$.vp.verifiableCredential[0]') => ({
    id: 'degree',
    format: 'jwt_vp_json',
    path: '$',
    path_nested: { id: 'degree', format: 'jwt_vc_json', path },
  })
  const validate = async (nonce: string, token: string, map: unknown) =>
    validatePexResponse({
      definition: parsePresentationDefinition({ id: 'pd-degree', input_descriptors: [degree] }),
      submission: parsePresentationSubmission({ id: 's', definition_id: 'pd-degree', descriptor_map: [map] }),
      vpToken: token,
      validators: [jwtVp, jwtVc],
      clientId: CLIENT,
      nonce,
      nonceGuard: new MemoryNonceGuard(),
    })

  it('the VC inside the VP is decoded separately and the fields are evaluated on it', async () => {
    calls.length = 0
    const r = await validate('nn-1', await vp('nn-1'), nested())
    expect(r.error).toBeUndefined()
    expect(r.valid).toBe(true)
    expect(r.descriptors[0]?.format).toBe('jwt_vp_json')
    expect(calls).toEqual([
      { format: 'jwt_vp_json', binding: true },
      { format: 'jwt_vc_json', binding: false },
    ])
  })
  it('a nested path that selects nothing, a failing filter inside, and a VP for another nonce are rejected', async () => {
    expect((await validate('nn-2', await vp('nn-2'), nested('$.vp.verifiableCredential[1]'))).descriptors[0]?.error?.code).toBe(
      'openid4vp.pex_path_not_found',
    )
    expect((await validate('nn-3', await vp('nn-3', 'MasterDegree'), nested())).descriptors[0]?.error?.code).toBe(
      'openid4vp.pex_field_unmatched',
    )
    expect((await validate('nn-4', await vp('other'), nested())).descriptors[0]?.error?.code).toBe('openid4vp.vp_token_invalid')
  })
})

describe('§Processing of Submission Entries with the OpenID4VP jwt_vc_json validator (jwt_vp_json + path_nested)', () => {
  const vcIssuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const idD = {
    id: 'id_credential',
    format: { jwt_vc_json: { alg: ['ES256', 'EdDSA'] } },
    constraints: {
      fields: [
        { path: ['$.type', '$.vc.type'], filter: { type: 'array', contains: { const: 'IDCredential' } } },
        { path: ['$.credentialSubject.family_name', '$.vc.credentialSubject.family_name'] },
      ],
    },
  }
  async function vp(nonce: string) {
    const holder = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
    const did = createDidKey(holder.publicJwk)
    const vc = await issueJwtVc({
      signer: vcIssuer,
      issuer: 'https://example.gov/issuers/565049',
      credential: { type: ['VerifiableCredential', 'IDCredential'], credentialSubject: { family_name: 'Mustermann' } },
      subjectId: did,
    })
    return createJwtVp({ signer: holder, holder: did, credentials: [vc], audience: CLIENT, nonce })
  }
  const map = (path = '$.verifiableCredential[0]') => ({
    id: 'id_credential',
    format: 'jwt_vp_json',
    path: '$',
    path_nested: { id: 'id_credential', format: 'jwt_vc_json', path },
  })
  const validate = async (nonce: string, token: string, entry: unknown) =>
    validatePexResponse({
      definition: parsePresentationDefinition({ id: 'pd-id', input_descriptors: [idD] }),
      submission: parsePresentationSubmission({ id: 's', definition_id: 'pd-id', descriptor_map: [entry] }),
      vpToken: token,
      validators: [jwtVcJsonValidator({ issuerKeys: { keys: [vcIssuer.publicJwk] } })],
      clientId: CLIENT,
      nonce,
      nonceGuard: new MemoryNonceGuard(),
    })
  it('the VP is verified (aud, nonce, holder binding) and the fields are evaluated on its credential', async () => {
    const r = await validate('jv-1', await vp('jv-1'), map())
    expect(r.error).toBeUndefined()
    expect(r.valid).toBe(true)
    expect(r.descriptors[0]?.claims[0]?.credentialSubject).toEqual({ id: expect.any(String), family_name: 'Mustermann' })
    expect((await validate('jv-2', await vp('jv-2'), map('$.vp.verifiableCredential[0]'))).valid).toBe(true)
    // As the OpenID4VP drafts' examples write it: no id in path_nested.
    const draftStyle = {
      id: 'id_credential',
      format: 'jwt_vp_json',
      path: '$',
      path_nested: { format: 'jwt_vc_json', path: '$.verifiableCredential[0]' },
    }
    expect((await validate('jv-5', await vp('jv-5'), draftStyle)).valid).toBe(true)
  })
  it('a VP for another nonce is rejected; a path to a second credential has no validator', async () => {
    expect((await validate('jv-3', await vp('other'), map())).descriptors[0]?.error?.code).toMatch(/nonce/)
    expect((await validate('jv-4', await vp('jv-4'), map('$.verifiableCredential[1]'))).descriptors[0]?.error?.code).toBe(
      'openid4vp.format_unsupported',
    )
  })
})
