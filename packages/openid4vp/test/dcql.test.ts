import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { type CredentialRecord, matchDcql, parseDcqlQuery } from '../src/dcql/index.js'

const pid: CredentialRecord = {
  id: 'pid-1',
  format: 'dc+sd-jwt',
  vct: 'https://credentials.example.com/identity_credential',
  claims: {
    given_name: 'Erika',
    first_name: 'Erika',
    family_name: 'Mustermann',
    last_name: 'Mustermann',
    address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '90210' },
    nationalities: ['DE'],
    age_over_18: true,
  },
  trust: { aki: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] },
}
const mdl: CredentialRecord = {
  id: 'mdl-1',
  format: 'mso_mdoc',
  doctype: 'org.iso.18013.5.1.mDL',
  claims: {
    'org.iso.18013.5.1': {
      given_name: 'Erika',
      family_name: 'Mustermann',
      portrait: 'AAAA',
      resident_address: 'x',
      resident_country: 'DE',
      age_over_18: true,
    },
  },
}
const photo: CredentialRecord = {
  id: 'photo-1',
  format: 'mso_mdoc',
  doctype: 'org.iso.23220.photoid.1',
  claims: { 'org.iso.18013.5.1': { given_name: 'E', family_name: 'M', portrait: 'AAAA' } },
}
const wallet = [pid, mdl, photo]

const dir = vectorsPath('openid4vp/query_lang')
describe.skipIf(!dir)('OpenID4VP 1.0 DCQL examples (query_lang/)', () => {
  const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []
  it.each(files)('%s parses and evaluates', (f) => {
    const q = parseDcqlQuery(JSON.parse(readFileSync(join(dir!, f), 'utf8')))
    const r = matchDcql(q, wallet)
    expect(Object.keys(r.queries).sort()).toEqual(q.credentials.map((c) => c.id).sort())
    expect(typeof r.satisfied).toBe('boolean')
  })
  it('simple.json: the PID answers with exactly the requested claims', () => {
    const q = parseDcqlQuery(JSON.parse(readFileSync(join(dir!, 'simple.json'), 'utf8')))
    const r = matchDcql(q, wallet)
    const only = Object.values(r.queries)[0]!
    expect(only.candidates.map((c) => c.record.id)).toEqual(['pid-1'])
    expect(only.candidates[0]!.claims.length).toBe(q.credentials[0]!.claims!.length)
  })
  it('complex_mdoc.json: the mDL and the photo ID answer their own queries', () => {
    const q = parseDcqlQuery(JSON.parse(readFileSync(join(dir!, 'complex_mdoc.json'), 'utf8')))
    const r = matchDcql(q, wallet)
    expect(r.queries['mdl-id']?.candidates.map((c) => c.record.id)).toEqual(['mdl-1'])
    expect(r.queries['photo_card-id']?.candidates.map((c) => c.record.id)).toEqual(['photo-1'])
  })
})

describe('DCQL validity rules (OpenID4VP 1.0 §6)', () => {
  const ok = { id: 'a', format: 'dc+sd-jwt', meta: { vct_values: ['t'] } }
  it.each([
    ['no credentials', { credentials: [] }],
    ['duplicate ids', { credentials: [ok, ok] }],
    ['bad id charset', { credentials: [{ ...ok, id: 'a b' }] }],
    ['missing meta', { credentials: [{ id: 'a', format: 'dc+sd-jwt' }] }],
    ['mdoc without doctype_value', { credentials: [{ id: 'a', format: 'mso_mdoc', meta: {} }] }],
    [
      'mdoc path of 3',
      { credentials: [{ id: 'a', format: 'mso_mdoc', meta: { doctype_value: 'd' }, claims: [{ path: ['ns', 'el', 'x'] }] }] },
    ],
    ['claim_sets without claims', { credentials: [{ ...ok, claim_sets: [['x']] }] }],
    ['claim_sets with a claim lacking an id', { credentials: [{ ...ok, claims: [{ path: ['a'] }], claim_sets: [['x']] }] }],
    ['claim_sets naming an unknown claim', { credentials: [{ ...ok, claims: [{ id: 'x', path: ['a'] }], claim_sets: [['y']] }] }],
    [
      'duplicate claim ids',
      {
        credentials: [
          {
            ...ok,
            claims: [
              { id: 'x', path: ['a'] },
              { id: 'x', path: ['b'] },
            ],
          },
        ],
      },
    ],
    ['negative path index', { credentials: [{ ...ok, claims: [{ path: ['a', -1] }] }] }],
    ['empty path', { credentials: [{ ...ok, claims: [{ path: [] }] }] }],
    ['values of objects', { credentials: [{ ...ok, claims: [{ path: ['a'], values: [{}] }] }] }],
    ['credential_sets naming an unknown id', { credentials: [ok], credential_sets: [{ options: [['zzz']] }] }],
    ['multiple not a boolean', { credentials: [{ ...ok, multiple: 'yes' }] }],
    ['trusted_authorities without values', { credentials: [{ ...ok, trusted_authorities: [{ type: 'aki', values: [] }] }] }],
  ])('rejects %s', (_n, q) => {
    expect(() => parseDcqlQuery(q)).toThrow(expect.objectContaining({ code: 'openid4vp.dcql_invalid' }))
  })
  it('ignores unknown members and applies defaults', () => {
    const q = parseDcqlQuery({ credentials: [{ ...ok, future: 1 }], future: 2 })
    expect(q.credentials[0]).toMatchObject({ multiple: false, require_cryptographic_holder_binding: true })
  })
})

describe('matching (§6.4)', () => {
  const base = { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [pid.vct] } }
  it('claim_sets: the first satisfiable set is chosen, and only its claims are disclosed', () => {
    const q = parseDcqlQuery({
      credentials: [
        {
          ...base,
          claims: [
            { id: 'a', path: ['age_over_21'] },
            { id: 'b', path: ['age_over_18'] },
            { id: 'c', path: ['given_name'] },
          ],
          claim_sets: [['a'], ['b', 'c']],
        },
      ],
    })
    const c = matchDcql(q, wallet).queries.pid!.candidates[0]!
    expect(c.claimSetIndex).toBe(1)
    expect(c.claims).toEqual([['age_over_18'], ['given_name']])
  })
  it('values restrict matches; array paths with null select every element', () => {
    const q = (values: unknown[]) =>
      parseDcqlQuery({ credentials: [{ ...base, claims: [{ path: ['nationalities', null], values }] }] })
    expect(matchDcql(q(['DE']), wallet).satisfied).toBe(true)
    expect(matchDcql(q(['FR']), wallet).satisfied).toBe(false)
    expect(
      matchDcql(
        parseDcqlQuery({ credentials: [{ ...base, claims: [{ path: ['address', 'postal_code'], values: [90210] }] }] }),
        wallet,
      ).satisfied,
    ).toBe(false)
  })
  it('credential_sets: a required set needs one satisfied option; an optional one does not', () => {
    const q = parseDcqlQuery({
      credentials: [
        base,
        { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' } },
        { id: 'other', format: 'dc+sd-jwt', meta: { vct_values: ['urn:none'] } },
      ],
      credential_sets: [{ options: [['other'], ['pid', 'mdl']] }, { options: [['other']], required: false }],
    })
    const r = matchDcql(q, wallet)
    expect(r.credentialSets.map((s) => s.satisfiedOptions)).toEqual([[1], []])
    expect(r.satisfied).toBe(true)
    const strict = parseDcqlQuery({
      credentials: [base, { id: 'other', format: 'dc+sd-jwt', meta: { vct_values: ['urn:none'] } }],
      credential_sets: [{ options: [['other']] }],
    })
    expect(matchDcql(strict, wallet).satisfied).toBe(false)
    expect(
      matchDcql(
        parseDcqlQuery({ credentials: [base, { id: 'other', format: 'dc+sd-jwt', meta: { vct_values: ['urn:none'] } }] }),
        wallet,
      ).satisfied,
    ).toBe(false)
  })
  it('trusted_authorities and holder binding', () => {
    const aki = (v: string) => parseDcqlQuery({ credentials: [{ ...base, trusted_authorities: [{ type: 'aki', values: [v] }] }] })
    expect(matchDcql(aki('s9tIpPmhxdiuNkHMEWNpYim8S8Y'), wallet).satisfied).toBe(true)
    expect(matchDcql(aki('other'), wallet).satisfied).toBe(false)
    const unbound = [{ ...pid, holderBinding: false }]
    expect(matchDcql(parseDcqlQuery({ credentials: [base] }), unbound).satisfied).toBe(false)
    expect(
      matchDcql(parseDcqlQuery({ credentials: [{ ...base, require_cryptographic_holder_binding: false }] }), unbound).satisfied,
    ).toBe(true)
  })
})

describe('DcqlRequestBuilder', async () => {
  const { DcqlRequestBuilder } = await import('../src/index.js')
  it('builds a multi-credential query with a credential set, validated on build', () => {
    const q = new DcqlRequestBuilder()
      .addCredential('pid', 'dc+sd-jwt', ['age_over_18', 'address.locality'], { meta: { vct_values: [pid.vct as string] } })
      .addCredential('mdl', 'mso_mdoc', [['org.iso.18013.5.1', 'age_over_18']], {
        meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
        multiple: false,
      })
      .addCredentialSet('age', [['pid'], ['mdl']], { required: true })
      .parsed()
    expect(q.credentials[0]?.claims?.[1]?.path).toEqual(['address', 'locality'])
    expect(matchDcql(q, wallet).credentialSets[0]?.satisfiedOptions).toEqual([0, 1])
    expect(() =>
      new DcqlRequestBuilder().addCredential('x', 'mso_mdoc', ['a.b.c'], { meta: { doctype_value: 'd' } }).build(),
    ).toThrow(expect.objectContaining({ code: 'openid4vp.dcql_invalid' }))
  })
})
