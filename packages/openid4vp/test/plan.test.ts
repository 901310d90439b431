import { b64uEncode, utf8Encode } from '@bonafide/core'
import { describe, expect, it } from 'vitest'
import { buildVpToken, type CredentialRecord, checkSelection, parseDcqlQuery, planPresentation } from '../src/index.js'

const records: CredentialRecord[] = [
  { id: 'pid1', format: 'dc+sd-jwt', vct: 'urn:pid', claims: { given_name: 'Erika', age_over_18: true } },
  { id: 'pid2', format: 'dc+sd-jwt', vct: 'urn:pid', claims: { given_name: 'Max', age_over_18: false } },
  { id: 'mdl', format: 'mso_mdoc', doctype: 'org.iso.18013.5.1.mDL', claims: { 'org.iso.18013.5.1': { family_name: 'M' } } },
]
const td = b64uEncode(utf8Encode(JSON.stringify({ type: 'payment', credential_ids: ['pid'] })))
const request = (dcql: unknown, transactionData?: string[]) => ({
  clientId: 'x509_san_dns:verifier.example',
  verifierSubject: 'CN=Verifier',
  dcql: parseDcqlQuery(dcql),
  ...(transactionData ? { transactionData } : {}),
})

describe('wallet planning for consent (OpenID4VP §6.4)', () => {
  const dcql = {
    credentials: [
      { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:pid'] }, claims: [{ path: ['given_name'] }] },
      {
        id: 'mdl',
        format: 'mso_mdoc',
        meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
        claims: [{ path: ['org.iso.18013.5.1', 'family_name'] }],
      },
      { id: 'alt', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } },
    ],
    credential_sets: [{ options: [['alt'], ['pid']] }, { options: [['mdl']], required: false }],
  }

  it('shows each query with its role, candidates and the values that would be disclosed; transaction data bound by query id', () => {
    const plan = planPresentation(request(dcql, [td]), records)
    expect(plan.verifier).toEqual({ clientId: 'x509_san_dns:verifier.example', subject: 'CN=Verifier' })
    expect(plan.satisfiable).toBe(true)
    expect(plan.queries.map((q) => [q.queryId, q.role, q.candidates.map((c) => c.credentialId)])).toEqual([
      ['pid', 'required', ['pid1', 'pid2']],
      ['mdl', 'optional', ['mdl']],
      ['alt', 'alternative', []],
    ])
    expect(plan.queries[0]?.candidates[1]?.claims).toEqual([{ path: ['given_name'], values: ['Max'] }])
    expect(plan.queries[0]?.transactionData).toEqual(['payment'])
    expect(plan.selection).toEqual({ pid: ['pid1'], mdl: ['mdl'] })
    checkSelection(plan, plan.selection)
    checkSelection(plan, { pid: ['pid2'] }) // the optional set may be left out
  })

  it('refuses selections that do not answer the request', () => {
    const plan = planPresentation(request(dcql), records)
    expect(() => checkSelection(plan, { mdl: ['mdl'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.credential_missing' }),
    )
    expect(() => checkSelection(plan, { pid: ['pid1', 'pid2'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.multiple_not_allowed' }),
    )
    expect(() => checkSelection(plan, { pid: ['mdl'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.credential_missing' }),
    )
    expect(() => checkSelection(plan, { nope: ['pid1'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.unknown_query_id' }),
    )
    expect(() => checkSelection(plan, { pid: [] })).toThrow(expect.objectContaining({ code: 'openid4vp.multiple_not_allowed' }))
  })

  it('without credential_sets every query is required; an unanswerable one makes the plan unsatisfiable', () => {
    const plan = planPresentation(
      request({ credentials: [{ id: 'x', format: 'dc+sd-jwt', meta: { vct_values: ['urn:none'] } }] }),
      records,
    )
    expect(plan.satisfiable).toBe(false)
    expect(plan.queries[0]?.role).toBe('required')
    expect(plan.selection).toEqual({})
    expect(() => planPresentation(request(dcql, ['not-base64url-json']), records)).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
  })

  it('§8.4 transaction data: ids must exist, types may be restricted, and one answered query carries it', async () => {
    const two = b64uEncode(utf8Encode(JSON.stringify({ type: 'payment', credential_ids: ['alt', 'pid'] })))
    const bad = b64uEncode(utf8Encode(JSON.stringify({ type: 'payment', credential_ids: ['nope'] })))
    expect(() => planPresentation(request(dcql, [bad]), records)).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
    expect(() => planPresentation(request(dcql, [td]), records, { transactionDataTypes: ['qes'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.request_invalid' }),
    )
    const plan = planPresentation(request(dcql, [two]), records, { transactionDataTypes: ['payment'] })
    expect(plan.transactionData).toEqual([{ type: 'payment', credentialIds: ['alt', 'pid'] }])
    checkSelection(plan, { pid: ['pid1'] })
    // the transaction would go unsigned if none of its credentials is sent
    const onlyMdl = planPresentation(
      request({ credentials: dcql.credentials, credential_sets: [{ options: [['pid'], ['mdl']] }] }, [td]),
      records,
    )
    expect(() => checkSelection(onlyMdl, { mdl: ['mdl'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.credential_missing' }),
    )
    // bound to one query only, and refused for a format that cannot carry it
    const bindings: string[] = []
    const req = {
      clientId: 'c',
      nonce: 'n',
      responseMode: 'direct_post',
      responseUri: 'https://v.example/post',
      dcql: parseDcqlQuery(dcql),
      transactionData: [two],
    }
    await buildVpToken(
      req,
      [
        { queryId: 'pid', format: 'dc+sd-jwt', credentialId: 'pid1', claims: [] },
        { queryId: 'alt', format: 'dc+sd-jwt', credentialId: 'x', claims: [] },
      ],
      async (t) => {
        bindings.push(`${t.queryId}:${t.transactionData.length}`)
        return 'p'
      },
    )
    expect(bindings).toEqual(['pid:0', 'alt:1'])
    await expect(
      buildVpToken(
        { ...req, transactionData: [td] },
        [{ queryId: 'pid', format: 'mso_mdoc', credentialId: 'm', claims: [] }],
        async () => 'p',
      ),
    ).rejects.toMatchObject({ code: 'openid4vp.request_invalid' })
  })

  it('an optional set is offered only when one of its options can be answered whole', () => {
    const q = {
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:pid'] } },
        { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' } },
        { id: 'alt', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } },
      ],
      credential_sets: [{ options: [['pid']] }, { options: [['mdl', 'alt']], required: false }],
    }
    const plan = planPresentation(request(q), records)
    expect(plan.selection).toEqual({ pid: ['pid1'] })
    expect(plan.queries.map((x) => x.role)).toEqual(['required', 'alternative', 'alternative'])
    expect(() => checkSelection(plan, { pid: ['pid1'], mdl: ['mdl'] })).toThrow(
      expect.objectContaining({ code: 'openid4vp.credential_missing' }),
    )
  })
})
