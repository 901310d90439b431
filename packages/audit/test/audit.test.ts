import { b64uDecode } from '@bonafide/core'
import { bitstringStatusEntry, issueJwtVc, issueJwtVcBatch } from '@bonafide/jwt-vc'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueSdJwtVc } from '@bonafide/sd-jwt'
import { describe, expect, it } from 'vitest'
import { AUDIT_ERROR_CODES, type AuditReport, auditBatch, auditRecords, type Finding } from '../src/index.js'
import {
  clock,
  DAY,
  holderKey,
  hourClock,
  issuer,
  LIST,
  mdocIssuer,
  NOW,
  replayedRandom,
  SPREAD,
  sdBase,
  sdJwtBatch,
  sdJwtCopies,
} from './fixtures.js'

const kinds = (r: AuditReport) => r.findings.map((f) => f.kind)
const find = (r: AuditReport, kind: Finding['kind'], field?: string) =>
  r.findings.find((f) => f.kind === kind && (field === undefined || f.field === field))
const linking = (r: AuditReport) => r.findings.filter((f) => f.severity === 'high' || f.severity === 'medium')

function codeOf(fn: () => unknown): { code?: string; details?: Record<string, unknown> } {
  try {
    fn()
  } catch (e) {
    return e as { code?: string; details?: Record<string, unknown> }
  }
  throw new Error('did not throw')
}

describe('SD-JWT VC batches (RFC 9901 §10.1, draft-ietf-oauth-sd-jwt-vc-18 §7.1)', () => {
  it('RFC 9901 §10.1: own holder keys, fresh salts, iat rounded to the day and spread status indices are unlinkable', async () => {
    const r = auditBatch(await sdJwtBatch(), { statusListSizes: { [LIST]: 131_072 } })
    expect(r).toMatchObject({ verdict: 'unlinkable', copies: 5, format: 'sd-jwt-vc' })
    expect(r.findings).toEqual([])
  })
  it('RFC 9901 §10.1: iat randomized within the last 24 hours is unlinkable', async () => {
    const r = auditBatch(await sdJwtBatch({ timestamps: { mode: 'randomize', windowSeconds: 86_400 } }))
    expect(r.verdict).toBe('unlinkable')
    expect(linking(r)).toEqual([])
  })
  it('RFC 9901 §10.1: one exact iat pinned in every copy (as @sd-jwt/sd-jwt-vc does) links them', async () => {
    const r = auditBatch(await sdJwtBatch({ timestamps: { mode: 'exact' } }))
    expect(r.verdict).toBe('linkable')
    expect(find(r, 'audit.same_timestamp', 'iat')).toMatchObject({
      severity: 'high',
      evidence: `all 5 copies have iat ${NOW} (exact, not rounded)`,
      copies: [0, 1, 2, 3, 4],
    })
    expect(find(r, 'audit.same_timestamp', 'exp')?.severity).toBe('high')
  })
  it('RFC 9901 §10.1 (timestamps): a rounding granularity option decides what counts as rounded', async () => {
    const copies = await sdJwtCopies(3, () => ({ iat: DAY + 600, validForSeconds: undefined }))
    expect(auditBatch(copies).verdict).toBe('linkable')
    expect(auditBatch(copies, { timestampGranularitySeconds: 600 }).verdict).toBe('unlinkable')
  })
  it('RFC 9901 §10.1 "New Key Binding keys … MUST be used for each credential": one holder key links every copy', async () => {
    const key = holderKey()
    const r = auditBatch(await sdJwtCopies(4, () => ({ holderKey: key })))
    expect(r.verdict).toBe('linkable')
    expect(r.findings).toEqual([
      {
        field: 'cnf.jwk',
        kind: 'audit.same_holder_key',
        severity: 'high',
        evidence: 'all 4 copies are bound to one holder key',
        copies: [0, 1, 2, 3],
      },
    ])
  })
  it('RFC 9901 §10.1 "New … salts MUST be used": a salt reused across copies links them; values are never shown', async () => {
    const copies = await sdJwtCopies(3, (i) => ({ random: replayedRandom(), iat: DAY - i * 3600 }))
    const r = auditBatch(copies)
    expect(r.verdict).toBe('linkable')
    const salt = find(r, 'audit.repeated_salt')
    expect(salt).toMatchObject({ field: 'disclosure salt', severity: 'high', copies: [0, 1, 2] })
    expect(salt?.evidence).toContain('given_name')
    expect(salt?.evidence).not.toMatch(/Erika|Mustermann/)
    expect(find(r, 'audit.repeated_digest')).toMatchObject({ field: '_sd digest', severity: 'high' })
  })
  it('OpenID4VCI 1.0 §15.4.1 (unique values): the same jti or sub in every copy links them; shared values can be declared', async () => {
    const copies = await sdJwtCopies(3, () => ({ claims: { ...sdBase.claims, jti: 'urn:uuid:6c1a', sub: 'user-42' } }))
    const r = auditBatch(copies)
    expect(find(r, 'audit.per_copy_identifier', 'jti')).toMatchObject({
      severity: 'high',
      evidence: 'all 3 copies have the same jti',
    })
    expect(find(r, 'audit.per_copy_identifier', 'sub')?.severity).toBe('high')
    expect(JSON.stringify(r)).not.toContain('user-42')
    expect(kinds(auditBatch(copies, { sharedIdentifiers: ['user-42'] }))).toEqual(['audit.per_copy_identifier'])
  })
  it('RFC 9901 §4.2.5, §10.4: one decoy count in every copy is low (it only links when drawn per batch); per-copy counts are not flagged', async () => {
    const same = auditBatch(await sdJwtCopies(3, () => ({ decoys: 2 })))
    expect(same.verdict).toBe('unlinkable')
    expect(same.findings).toEqual([expect.objectContaining({ field: '_sd', kind: 'audit.decoy_count', severity: 'low' })])
    expect(same.findings[0]?.evidence).toMatch(/^all 3 copies carry 4 decoy digest\(s\) \(8 digests, 4 disclosures\)/)
    expect(auditBatch(await sdJwtCopies(3, (i) => ({ decoys: i + 1 }))).findings).toEqual([])
    // Without decoys digests equal disclosures for every holder of the type: nothing to report.
    expect(auditBatch(await sdJwtCopies(3, () => ({}))).findings).toEqual([])
  })
  it('the same credential twice is a duplicate copy', async () => {
    const [a, b] = await sdJwtBatch({ n: 2 })
    const r = auditBatch([a!, b!, a!])
    expect(find(r, 'audit.duplicate_copy')).toMatchObject({ severity: 'high', copies: [0, 2] })
  })
  it('one copy: unlinkable, with an info finding that there is nothing to compare', async () => {
    const r = auditBatch(await sdJwtBatch({ n: 1 }))
    expect(r).toMatchObject({ verdict: 'unlinkable', copies: 1 })
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'audit.single_copy', severity: 'info' })])
  })
})

describe('status indices (draft-ietf-oauth-status-list-20 §12.5.1 unlinkability, §13.2, §12.1 herd privacy)', () => {
  it('§12.5.1 "choose non-sequential … indices": adjacent indices for the whole batch link it', async () => {
    const r = auditBatch(await sdJwtBatch({ idx: [17, 18, 19] }))
    expect(find(r, 'audit.adjacent_status_index')).toMatchObject({
      field: 'status.status_list.idx',
      severity: 'high',
      evidence: 'indices 17, 18, 19 are adjacent',
      copies: [0, 1, 2],
    })
  })
  it('§12.5.1: some adjacent pairs, or indices a short stride apart, are medium', async () => {
    const pairs = auditBatch(await sdJwtBatch({ idx: [17, 18, 90_000, 4_000] }))
    expect(find(pairs, 'audit.adjacent_status_index')).toMatchObject({ severity: 'medium', copies: [0, 1] })
    const strided = auditBatch(await sdJwtBatch({ idx: [100, 103, 106, 109] }))
    expect(find(strided, 'audit.adjacent_status_index')).toMatchObject({
      severity: 'medium',
      evidence: expect.stringContaining('within 9 entries'),
    })
  })
  it('§13.2 "every Referenced Token MUST have a dedicated Status List entry": an equal index links the copies', async () => {
    const r = auditBatch(await sdJwtBatch({ idx: [500, 500, 70_000] }))
    expect(find(r, 'audit.same_status_index')).toMatchObject({
      severity: 'high',
      evidence: 'copies 0, 1 share index 500 in one list',
    })
  })
  it('§12.1: a small list is low (threshold is an option); a large one is no finding', async () => {
    const copies = await sdJwtBatch({ idx: [3, 500, 1000] })
    const small = auditBatch(copies, { statusListSizes: { [LIST]: 1024 } })
    expect(small.verdict).toBe('unlinkable')
    expect(small.findings).toEqual([
      expect.objectContaining({
        kind: 'audit.small_status_list',
        severity: 'low',
        evidence: 'all 3 copies are in a list of 1024 entries (under 131072)',
      }),
    ])
    expect(auditBatch(copies, { statusListSizes: { [LIST]: 1024 }, smallStatusListThreshold: 1000 }).findings).toEqual([])
  })
})

describe('mdoc batches (ISO 18013-5 §9.1.2; RFC 9901 §10.1 applies to mdoc too)', async () => {
  const mdoc = await mdocIssuer()
  it('OpenID4VCI 1.0 §3.3.2: own device keys, fresh randoms, validity rounded to the day are unlinkable (base64url and bytes)', async () => {
    const { encoded, issuerSigned } = await mdoc.batch(4)
    const r = auditBatch(encoded, { statusListSizes: { [LIST]: 131_072 } })
    expect(r).toMatchObject({ verdict: 'unlinkable', copies: 4, format: 'mdoc', findings: [] })
    expect(auditBatch(issuerSigned).verdict).toBe('unlinkable')
  })
  it('OpenID4VCI 1.0 §3.3.2 "bound to different cryptographic keys": a shared device key links the copies', async () => {
    const deviceKey = holderKey()
    const r = auditBatch(await Promise.all([1, 2, 3].map(() => mdoc.one({ deviceKey }))))
    expect(r.verdict).toBe('linkable')
    expect(r.findings).toEqual([
      expect.objectContaining({ field: 'mso.deviceKeyInfo.deviceKey', kind: 'audit.same_device_key', severity: 'high' }),
    ])
  })
  it('RFC 9901 §10.1: exact validityInfo shared by every copy links them', async () => {
    const r = auditBatch(await Promise.all([1, 2].map(() => mdoc.one({ roundSeconds: 1 }))))
    expect(find(r, 'audit.same_timestamp', 'mso.validityInfo.signed')).toMatchObject({
      severity: 'high',
      evidence: 'all 2 copies have mso.validityInfo.signed 2026-11-22T15:30:07Z (exact, not rounded)',
    })
  })
  it('ISO 18013-5 §9.1.2.5: a repeated IssuerSignedItem random (and so digest) links the copies', async () => {
    const r = auditBatch(await Promise.all([1, 2].map(() => mdoc.one({ random: replayedRandom() }))))
    expect(find(r, 'audit.repeated_salt')).toMatchObject({ field: 'IssuerSignedItem.random', severity: 'high' })
    expect(find(r, 'audit.repeated_digest')).toMatchObject({ field: 'mso.valueDigests', severity: 'high' })
  })
})

describe('W3C JWT-VC batches (OpenID4VCI 1.0 §15.4.1)', () => {
  const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
  const credential = { type: ['VerifiableCredential', 'UniversityDegreeCredential'], credentialSubject: { degree: 'MSc' } }
  const base = { signer, issuer: 'https://issuer.example', credential, validForSeconds: 365 * 86_400 }
  const entry = (i: number) => ({
    holderKey: holderKey(),
    credentialStatus: bitstringStatusEntry({ statusListCredential: LIST, index: SPREAD[i] as number }),
  })
  it('own holder keys, fresh ids, spread status indices and times on the hour are unlinkable', async () => {
    const { credentials } = await issueJwtVcBatch({ ...base, clock: hourClock, entries: [0, 1, 2].map(entry) })
    expect(auditBatch(credentials)).toMatchObject({ verdict: 'unlinkable', format: 'jwt-vc', findings: [] })
  })
  it('§15.4.1 "time-related information … randomized or rounded": exact iat/nbf/exp in every copy link them', async () => {
    // roundSeconds: 1 keeps the exact second, as the issuer did before it rounded to the day by default
    const { credentials } = await issueJwtVcBatch({ ...base, clock, roundSeconds: 1, entries: [0, 1, 2].map(entry) })
    const r = auditBatch(credentials)
    expect(r.verdict).toBe('linkable')
    expect(r.findings.filter((f) => f.kind === 'audit.same_timestamp').map((f) => f.field)).toEqual(['iat', 'nbf', 'exp'])
    const v2 = auditBatch(
      (await issueJwtVcBatch({ ...base, version: '2.0', clock, roundSeconds: 1, entries: [0, 1].map(entry) })).credentials,
    )
    expect(v2.findings.map((f) => f.field)).toEqual(['iat', 'exp', 'validFrom', 'validUntil'])
    // the default (the day) passes
    expect(auditBatch((await issueJwtVcBatch({ ...base, clock, entries: [0, 1, 2].map(entry) })).credentials).verdict).toBe(
      'unlinkable',
    )
  })
  it('§15.4.1 "unique values encoded in the Credential": the same jti and sub in every copy link them', async () => {
    const copies = await Promise.all(
      [0, 1, 2].map((i) =>
        issueJwtVc({ ...base, clock: hourClock, ...entry(i), id: 'urn:uuid:1b4e', subjectId: 'did:example:holder' }),
      ),
    )
    const r = auditBatch(copies)
    expect(r.verdict).toBe('linkable')
    expect(r.findings.map((f) => [f.kind, f.field])).toEqual([
      ['audit.per_copy_identifier', 'jti'],
      ['audit.per_copy_identifier', 'sub'],
    ])
    expect(JSON.stringify(r)).not.toContain('did:example:holder')
  })
})

describe('input checks (typed errors)', () => {
  it('pins the error codes', () => {
    expect(AUDIT_ERROR_CODES).toEqual([
      'audit.batch_empty',
      'audit.too_large',
      'audit.credential_invalid',
      'audit.mixed_batch',
      'audit.record_invalid',
      'audit.options_invalid',
    ])
  })
  it('OpenID4VCI 1.0 §3.3.2 (one format, one dataset): mixed formats or types are audit.mixed_batch', async () => {
    const [sd] = await sdJwtBatch({ n: 1 })
    const jwt = await issueJwtVc({
      signer: issuer,
      issuer: 'https://issuer.example',
      credential: { credentialSubject: { a: 1 } },
      clock,
    })
    expect(codeOf(() => auditBatch([sd!, jwt]))).toMatchObject({ code: 'audit.mixed_batch', details: { index: 1 } })
    const other = await issueSdJwtVc({ ...sdBase, vct: 'urn:other:1' })
    expect(codeOf(() => auditBatch([sd!, other]))).toMatchObject({ code: 'audit.mixed_batch', details: { index: 1 } })
  })
  it('malformed copies are audit.credential_invalid with their index', async () => {
    const [sd] = await sdJwtBatch({ n: 1 })
    const bad = ['not a credential!', 'e30.e30.sig~', `${sd}eyJhbGciOiJFUzI1NiJ9.e30.c2ln`, sd!.replace(/~[^~]+~$/, '~~'), 'AAAA']
    for (const b of bad)
      expect(codeOf(() => auditBatch([sd!, b]))).toMatchObject({ code: 'audit.credential_invalid', details: { index: 1 } })
    expect(codeOf(() => auditBatch([b64uDecode('oA')]))).toMatchObject({
      code: 'audit.credential_invalid',
      details: { index: 0 },
    })
    expect(codeOf(() => auditBatch([sd!], { format: 'mdoc' }))).toMatchObject({ code: 'audit.credential_invalid' })
  })
  it('size limits are checked before parsing: 1000 copies, 1 MiB each, at least one; options are checked', async () => {
    expect(codeOf(() => auditBatch(Array.from({ length: 1001 }, () => 'x')))).toMatchObject({ code: 'audit.too_large' })
    expect(codeOf(() => auditBatch(['x', 'a'.repeat((1 << 20) + 1)]))).toMatchObject({
      code: 'audit.too_large',
      details: { index: 1 },
    })
    expect(codeOf(() => auditBatch([]))).toMatchObject({ code: 'audit.batch_empty' })
    const copies = await sdJwtBatch({ n: 2 })
    expect(codeOf(() => auditBatch(copies, { timestampGranularitySeconds: 0 }))).toMatchObject({ code: 'audit.options_invalid' })
    expect(codeOf(() => auditBatch(copies, { statusListSizes: { [LIST]: -1 } }))).toMatchObject({ code: 'audit.options_invalid' })
    expect(codeOf(() => auditBatch(copies, { format: 'ldp_vc' as never }))).toMatchObject({ code: 'audit.options_invalid' })
  })
})

describe('auditRecords: issuance records instead of credentials', () => {
  const base = (i: number) => ({
    id: `rec-${i}`,
    issuedAt: DAY * 1000,
    expiresAt: (DAY + 365 * 86_400) * 1000,
    statusListId: 'list-1',
    statusIndex: SPREAD[i] as number,
    statusListSize: 131_072,
    holderKeyThumbprint: `thumb-${i}`,
  })
  it('OpenID4VCI 1.0 §15.4.1: rounded times, own keys, spread indices are unlinkable', () => {
    expect(auditRecords([0, 1, 2].map(base))).toMatchObject({ verdict: 'unlinkable', copies: 3, format: 'records', findings: [] })
  })
  it('RFC 9901 §10.1: the same issuedAt second (milliseconds apart) and expiresAt in every record are flagged', () => {
    const r = auditRecords([0, 1, 2].map((i) => ({ ...base(i), issuedAt: NOW * 1000 + i, expiresAt: (NOW + 60) * 1000 })))
    expect(r.findings.map((f) => [f.field, f.kind, f.severity])).toEqual([
      ['issuedAt', 'audit.same_timestamp', 'high'],
      ['expiresAt', 'audit.same_timestamp', 'high'],
    ])
  })
  it('RFC 9901 §10.1 and status-list §12.5.1: one holder key, equal or adjacent indices, a small list', () => {
    const r = auditRecords(
      [0, 1, 2].map((i) => ({
        ...base(i),
        holderKeyThumbprint: 'same',
        statusIndex: [40, 41, 41][i] as number,
        statusListSize: 4096,
      })),
    )
    expect(kinds(r).sort()).toEqual(
      ['audit.adjacent_status_index', 'audit.same_holder_key', 'audit.same_status_index', 'audit.small_status_list'].sort(),
    )
    expect(find(r, 'audit.adjacent_status_index')).toMatchObject({ severity: 'high', evidence: 'indices 40, 41 are adjacent' })
  })
  it('malformed records are audit.record_invalid with their index; an empty batch audit.batch_empty', () => {
    expect(codeOf(() => auditRecords([base(0), { ...base(1), issuedAt: 'yesterday' } as never]))).toMatchObject({
      code: 'audit.record_invalid',
      details: { index: 1 },
    })
    expect(codeOf(() => auditRecords([{ ...base(0), statusIndex: null }]))).toMatchObject({ code: 'audit.record_invalid' })
    expect(codeOf(() => auditRecords([]))).toMatchObject({ code: 'audit.batch_empty' })
  })
})
