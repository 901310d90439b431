import { readFileSync } from 'node:fs'
import { b64uEncode, isVcError } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueMdoc, openid4vpSessionTranscript, presentMdoc } from '@bonafide/mdoc'
import { issueSdJwtVc, presentSdJwt } from '@bonafide/sd-jwt'
import { createDevChain, vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { CredentialIndex, type CredentialRecord } from '../src/dcql/index.js'
import { msoMdocValidator, sdJwtVcValidator } from '../src/formats/index.js'
import {
  buildPresentationSubmission,
  matchPresentationDefinition,
  parsePresentationDefinition,
  validatePexResponse,
} from '../src/pex/index.js'
import { MemoryNonceGuard } from '../src/validate.js'

const NS = 'org.iso.18013.5.1'
const MDL = 'org.iso.18013.5.1.mDL'
const PID = 'https://credentials.example.com/identity_credential'

const pid: CredentialRecord = {
  id: 'pid-1',
  format: 'dc+sd-jwt',
  vct: PID,
  claims: {
    given_name: 'Erika',
    family_name: 'Mustermann',
    birthdate: '1984-01-26',
    address: { street_address: 'Heidestraße 17', locality: 'Köln' },
    nationalities: ['DE'],
    age_over_18: true,
  },
}
const mdl: CredentialRecord = {
  id: 'mdl-1',
  format: 'mso_mdoc',
  doctype: MDL,
  claims: { [NS]: { given_name: 'Erika', family_name: 'Mustermann', portrait: 'AAAA', age_over_18: true } },
}
const photo: CredentialRecord = {
  id: 'photo-1',
  format: 'mso_mdoc',
  doctype: 'org.iso.23220.photoid.1',
  claims: { [NS]: { given_name: 'E', family_name: 'M', age_over_18: true } },
}
const wallet = [pid, mdl, photo]

const code = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return isVcError(e) ? e.code : 'not-a-vc-error'
  }
  return undefined
}

const pidD = {
  id: 'pid',
  format: { 'dc+sd-jwt': {} },
  group: ['A'],
  constraints: {
    limit_disclosure: 'required',
    fields: [
      { path: ['$.vct'], filter: { type: 'string', const: PID } },
      { path: ['$.address.locality'] },
      { path: ['$.birthdate'], filter: { type: 'string', format: 'date', formatMaximum: '2007-01-01' } },
    ],
  },
}
const mdlD = {
  id: MDL,
  format: { mso_mdoc: { alg: ['ES256'] } },
  group: ['A'],
  constraints: {
    limit_disclosure: 'required',
    fields: [
      { path: [`$['${NS}']['family_name']`], intent_to_retain: true },
      { path: [`$['${NS}']['age_over_18']`], filter: { type: 'boolean', const: true } },
    ],
  },
}

describe('PEX 2.1.1 §Input Evaluation in the wallet (same CredentialRecords as matchDcql)', () => {
  it('each descriptor gets its candidates and the claims to disclose', () => {
    const r = matchPresentationDefinition(parsePresentationDefinition({ id: 'p', input_descriptors: [pidD, mdlD] }), wallet)
    expect(r.satisfied).toBe(true)
    expect(r.selection).toEqual(['pid', MDL])
    const p = r.descriptors.pid!
    expect(p.candidates.map((c) => c.record.id)).toEqual(['pid-1'])
    expect(p.candidates[0]?.claims).toEqual([['address', 'locality'], ['birthdate']])
    expect(p.candidates[0]?.fields.map((f) => f.location)).toEqual([['vct'], ['address', 'locality'], ['birthdate']])
    expect(p.candidates[0]?.limitDisclosure).toBe('required')
    const m = r.descriptors[MDL]!
    // mdoc: the descriptor id is the doctype, so the photo ID with the same elements is no candidate.
    expect(m.candidates.map((c) => c.record.id)).toEqual(['mdl-1'])
    expect(m.candidates[0]?.claims).toEqual([
      [NS, 'family_name'],
      [NS, 'age_over_18'],
    ])
    expect(m.candidates[0]?.intentToRetain).toEqual([[NS, 'family_name']])
    expect(m.candidates[0]?.format).toBe('mso_mdoc')
  })
  it('a CredentialIndex gives the same answer as the array', () => {
    const pd = parsePresentationDefinition({ id: 'p', input_descriptors: [pidD, mdlD] })
    const a = matchPresentationDefinition(pd, wallet)
    const b = matchPresentationDefinition(pd, new CredentialIndex(wallet))
    expect(Object.values(b.descriptors).map((d) => d.candidates.map((c) => c.record.id))).toEqual(
      Object.values(a.descriptors).map((d) => d.candidates.map((c) => c.record.id)),
    )
  })
  it('a filter that fails (birthdate after formatMaximum) or a missing field leaves no candidate', () => {
    const young = { ...pid, id: 'pid-2', claims: { ...pid.claims, birthdate: '2010-05-05' } }
    const noAddress = { ...pid, id: 'pid-3', claims: { given_name: 'E', birthdate: '1980-01-01' } }
    const r = matchPresentationDefinition(parsePresentationDefinition({ id: 'p', input_descriptors: [pidD] }), [young, noAddress])
    expect(r.satisfied).toBe(false)
    expect(r.descriptors.pid?.candidates).toEqual([])
    expect(r.selection).toBeUndefined()
  })
  it('§Submission Requirement Feature: pick 1 from A selects one; all from A needs both; an absent credential makes it unsatisfiable', () => {
    const pick = parsePresentationDefinition({
      id: 'p',
      input_descriptors: [pidD, mdlD],
      submission_requirements: [{ rule: 'pick', count: 1, from: 'A' }],
    })
    expect(matchPresentationDefinition(pick, wallet).selection).toEqual(['pid'])
    expect(matchPresentationDefinition(pick, [mdl]).selection).toEqual([MDL])
    const all = parsePresentationDefinition({
      id: 'p',
      input_descriptors: [pidD, mdlD],
      submission_requirements: [{ rule: 'all', from: 'A' }],
    })
    const r = matchPresentationDefinition(all, [mdl])
    expect(r.satisfied).toBe(false)
    expect(r.requirements).toEqual([{ index: 0, rule: 'all', satisfiable: false }])
    const nested = parsePresentationDefinition({
      id: 'p',
      input_descriptors: [
        { ...pidD, group: ['P'] },
        { ...mdlD, group: ['M'] },
      ],
      submission_requirements: [
        {
          rule: 'pick',
          count: 1,
          from_nested: [
            { rule: 'all', from: 'P' },
            { rule: 'all', from: 'M' },
          ],
        },
      ],
    })
    expect(matchPresentationDefinition(nested, [mdl, photo]).selection).toEqual([MDL])
  })
  it('§Predicate Feature: predicate=required cannot be answered by SD-JWT or mdoc → no candidate', () => {
    const pd = parsePresentationDefinition({
      id: 'p',
      input_descriptors: [
        { id: 'pid', constraints: { fields: [{ path: ['$.age_over_18'], filter: { const: true }, predicate: 'required' }] } },
      ],
    })
    expect(matchPresentationDefinition(pd, wallet).descriptors.pid?.candidates).toEqual([])
  })
  it('§Input Evaluation step 3: under limit_disclosure=required, a JWT VC holding more than the fields is no candidate', () => {
    const vc: CredentialRecord = {
      id: 'jwt-1',
      format: 'jwt_vc_json',
      types: ['VerifiableCredential', 'IDCredential'],
      claims: { type: ['VerifiableCredential', 'IDCredential'], credentialSubject: { family_name: 'M', given_name: 'E' } },
    }
    const d = (limit?: string) => ({
      id: 'id',
      constraints: { ...(limit ? { limit_disclosure: limit } : {}), fields: [{ path: ['$.credentialSubject.family_name'] }] },
    })
    expect(matchPresentationDefinition(parsePresentationDefinition({ id: 'p', input_descriptors: [d()] }), [vc]).satisfied).toBe(
      true,
    )
    expect(
      matchPresentationDefinition(parsePresentationDefinition({ id: 'p', input_descriptors: [d('required')] }), [vc]).satisfied,
    ).toBe(false)
  })
  const haip = vectorsPath('haip/presentation_definition_sd_jwt_vc.json')
  it.skipIf(!haip)(
    'HAIP vc+sd-jwt definition matches a dc+sd-jwt credential, submitted under the designation the verifier used',
    () => {
      const pd = parsePresentationDefinition(JSON.parse(readFileSync(haip!, 'utf8')))
      const cred: CredentialRecord = {
        id: 'ic',
        format: 'dc+sd-jwt',
        vct: 'IdentityCredential',
        claims: { given_name: 'E', family_name: 'M', birthdate: 'x' },
      }
      const r = matchPresentationDefinition(pd, [cred, pid])
      const c = r.descriptors.IdentityCredential?.candidates
      expect(c?.map((x) => [x.record.id, x.format])).toEqual([['ic', 'vc+sd-jwt']])
      const built = buildPresentationSubmission({
        definition: pd,
        id: 's1',
        presentations: [{ descriptorIds: 'IdentityCredential', format: 'dc+sd-jwt', presentation: 'x~' }],
      })
      expect(built.presentationSubmission.descriptor_map).toEqual([{ id: 'IdentityCredential', format: 'vc+sd-jwt', path: '$' }])
      expect(built.vpToken).toBe('x~')
    },
  )
})

describe('buildPresentationSubmission (PEX 2.1.1 §Presentation Submission)', () => {
  const pd = parsePresentationDefinition({ id: 'p', input_descriptors: [pidD, mdlD] })
  it('maps descriptors to $[i] of the vp_token array', () => {
    const b = buildPresentationSubmission({
      definition: pd,
      presentations: [
        { descriptorIds: 'pid', format: 'dc+sd-jwt', presentation: 'a~' },
        { descriptorIds: [MDL], format: 'mso_mdoc', presentation: 'b' },
      ],
    })
    expect(b.presentationSubmission.definition_id).toBe('p')
    expect(b.presentationSubmission.id.length).toBeGreaterThan(10)
    expect(b.presentationSubmission.descriptor_map.map((e) => e.path)).toEqual(['$[0]', '$[1]'])
    expect(b.vpToken).toEqual(['a~', 'b'])
  })
  it.each([
    [
      'an unknown descriptor',
      [{ descriptorIds: 'nope', format: 'dc+sd-jwt', presentation: 'a' }],
      'openid4vp.pex_unknown_descriptor',
    ],
    [
      'a format the descriptor does not accept',
      [{ descriptorIds: 'pid', format: 'mso_mdoc', presentation: 'a' }],
      'openid4vp.pex_format_not_accepted',
    ],
    [
      'a descriptor left out (all are required)',
      [{ descriptorIds: 'pid', format: 'dc+sd-jwt', presentation: 'a' }],
      'openid4vp.pex_descriptor_missing',
    ],
  ])('refuses %s', (_, presentations, want) => {
    expect(code(() => buildPresentationSubmission({ definition: pd, presentations }))).toBe(want)
  })
  it('refuses a selection that breaks a pick count', () => {
    const pick = parsePresentationDefinition({
      id: 'p',
      input_descriptors: [pidD, mdlD],
      submission_requirements: [{ rule: 'pick', count: 1, from: 'A' }],
    })
    const presentations = [
      { descriptorIds: 'pid', format: 'dc+sd-jwt', presentation: 'a' },
      { descriptorIds: MDL, format: 'mso_mdoc', presentation: 'b' },
    ]
    expect(code(() => buildPresentationSubmission({ definition: pick, presentations }))).toBe(
      'openid4vp.pex_requirements_unsatisfied',
    )
  })
})

describe('wallet → verifier round trip over PEX with real credentials', async () => {
  const CLIENT = 'x509_san_dns:verifier.example'
  const RESPONSE_URI = 'https://verifier.example/post'
  const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const holder = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const pki = await createDevChain()
  const ds = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  const sdJwt = await issueSdJwtVc({
    signer: issuer,
    iss: 'https://issuer.example',
    vct: PID,
    claims: pid.claims,
    disclosable: [
      'given_name',
      'family_name',
      'birthdate',
      ['address', 'locality'],
      ['address', 'street_address'],
      'nationalities',
      'age_over_18',
    ],
    holderKey: holder.publicJwk,
  })
  const issuerSigned = await issueMdoc({
    signer: ds,
    x5chain: [pki.leaf.der],
    docType: MDL,
    claims: mdl.claims as never,
    deviceKey: holder.publicJwk,
  })

  it('match → disclose exactly the candidate claims → build → validatePexResponse accepts (limit_disclosure required)', async () => {
    const nonce = 'round-trip-nonce'
    const definition = parsePresentationDefinition({ id: 'p', input_descriptors: [pidD, mdlD] })
    const match = matchPresentationDefinition(definition, wallet)
    const pc = match.descriptors.pid!.candidates[0]!
    const mc = match.descriptors[MDL]!.candidates[0]!
    const sdVp = await presentSdJwt(sdJwt, {
      disclose: pc.claims as string[][],
      kb: { signer: holder, aud: CLIENT, nonce },
    })
    const st = openid4vpSessionTranscript({ clientId: CLIENT, nonce, responseUri: RESPONSE_URI })
    const mdocVp = b64uEncode(
      await presentMdoc({
        issuerSigned,
        disclose: { [NS]: mc.claims.map((p) => p[1] as string) },
        deviceSigner: holder,
        sessionTranscript: st,
      }),
    )
    const built = buildPresentationSubmission({
      definition,
      presentations: [
        { descriptorIds: 'pid', format: pc.record.format, presentation: sdVp },
        { descriptorIds: MDL, format: mc.record.format, presentation: mdocVp },
      ],
    })
    const r = await validatePexResponse({
      definition,
      submission: built.presentationSubmission,
      vpToken: built.vpToken,
      validators: [
        sdJwtVcValidator({ issuerKeys: { keys: [issuer.publicJwk] } }),
        msoMdocValidator({ trustAnchors: [pki.root.pem] }),
      ],
      clientId: CLIENT,
      nonce,
      responseUri: RESPONSE_URI,
      nonceGuard: new MemoryNonceGuard(),
    })
    expect(r.error).toBeUndefined()
    expect(r.valid).toBe(true)
    expect(r.descriptors.map((d) => d.overDisclosed)).toEqual([[[]], [[]]])
    // §Retention Feature: only the mDL family_name was marked intent_to_retain.
    expect(r.descriptors.map((d) => d.retainable)).toEqual([[[]], [[`$['${NS}']['family_name']`]]])
    expect(r.descriptors[0]?.claims[0]?.address).toEqual({ locality: 'Köln' })
  })
})
