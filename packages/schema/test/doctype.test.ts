import { Buffer } from 'node:buffer'
import { isVcError } from '@bonafide/core'
import { type CborValue, decodeCbor, Tagged } from '@bonafide/cose'
import { readVector, vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import {
  BUILTIN_DOCTYPES,
  type DoctypeDefinition,
  EU_PID_DOCTYPE,
  MDL_DOCTYPE,
  parseDoctypeDefinition,
  validateMdocElements,
} from '../src/index.js'

const MDL_NS = 'org.iso.18013.5.1'
const PID_NS = 'eu.europa.ec.eudi.pid.1'
const bytes = new Uint8Array([0xff, 0xd8])

// A complete mDL (ISO/IEC 18013-5 §7.2.1 Table 5 mandatory elements), values as the CBOR decoder yields them.
const mdl = () =>
  ({
    family_name: 'Doe',
    given_name: 'John',
    birth_date: new Tagged(1004, '1990-01-31'),
    issue_date: new Tagged(0, '2024-10-20T00:00:00Z'),
    expiry_date: new Tagged(1004, '2029-10-20'),
    issuing_country: 'US',
    issuing_authority: 'Utopia DMV',
    document_number: '123456789',
    portrait: bytes,
    driving_privileges: [
      new Map<string, unknown>([
        ['vehicle_category_code', 'A'],
        ['issue_date', new Tagged(1004, '2018-08-09')],
        ['codes', [new Map([['code', 'D']])]],
      ]),
    ],
    un_distinguishing_sign: 'USA',
    age_over_18: true,
    age_over_21: false,
    sex: 9,
    height: 180n,
  }) as Record<string, unknown>

describe('validateMdocElements: mDL (ISO/IEC 18013-5 §7.2.1)', () => {
  it('accepts a complete mDL with decoded values (Tagged, Map, bigint, Uint8Array)', () => {
    expect(validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: mdl() })).toEqual({ valid: true, errors: [] })
  })
  it('accepts plain JSON-style dates and Date objects too', () => {
    const m = { ...mdl(), birth_date: '1990-01-31', issue_date: new Date(0), expiry_date: '2029-10-20T00:00:00Z' }
    expect(validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: m }).valid).toBe(true)
  })
  it('reports each missing mandatory element when issued, none when disclosed', () => {
    const { family_name: _f, portrait: _p, ...rest } = mdl()
    const r = validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: rest })
    expect(r.errors).toEqual([
      { path: `/${MDL_NS}/family_name`, keyword: 'required', message: 'required data element is missing' },
      { path: `/${MDL_NS}/portrait`, keyword: 'required', message: 'required data element is missing' },
    ])
    expect(validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: { given_name: 'J' } }, { presence: 'disclosed' }).valid).toBe(true)
  })
  it('reports wrong types, forms and values with their paths', () => {
    const m = {
      ...mdl(),
      family_name: 42,
      birth_date: new Tagged(0, '1990-01-31T00:00:00Z'), // a tdate where full-date is required
      expiry_date: new Tagged(1004, '2029-02-30'),
      issue_date: new Tagged(0, '2024-10-20T00:00:00.123Z'), // fractional seconds (§7.1)
      issuing_country: 'usa',
      portrait: 'base64?',
      age_over_18: 'yes',
      sex: 3,
      height: -1,
      driving_privileges: [new Map([['issue_date', '2018-08-09']]), 'B'],
    }
    const r = validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: m })
    expect(r.errors.map((e) => `${e.path.slice(MDL_NS.length + 2)} ${e.keyword}`)).toEqual([
      'family_name type',
      'birth_date type',
      'issue_date type',
      'expiry_date type',
      'issuing_country pattern',
      'portrait type',
      'driving_privileges/0/vehicle_category_code required',
      'driving_privileges/1 type',
      'age_over_18 type',
      'sex enum',
      'height type',
    ])
  })
  it('ignores unknown elements by default, reports them with unknown: reject', () => {
    const m = { ...mdl(), favourite_colour: 'blue' }
    expect(validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: m }).valid).toBe(true)
    expect(validateMdocElements(MDL_DOCTYPE, { [MDL_NS]: m }, { unknown: 'reject' }).errors).toEqual([
      { path: `/${MDL_NS}/favourite_colour`, keyword: 'unknown', message: 'data element is not defined for this doctype' },
    ])
  })
})

describe('validateMdocElements: EU PID (ARF PID rulebook)', () => {
  const pid = {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: new Tagged(1004, '1964-08-12'),
    place_of_birth: new Map([['locality', 'Berlin']]),
    nationality: ['DE'],
    expiry_date: new Tagged(1004, '2034-01-15'),
    issuing_authority: 'DE',
    issuing_country: 'DE',
    age_over_18: true,
  }
  it('accepts a complete PID and reports the missing mandatory ones', () => {
    expect(validateMdocElements(EU_PID_DOCTYPE, { [PID_NS]: pid })).toEqual({ valid: true, errors: [] })
    const { nationality: _n, issuing_country: _i, ...rest } = pid
    expect(validateMdocElements(EU_PID_DOCTYPE, { [PID_NS]: rest }).errors.map((e) => e.path)).toEqual([
      `/${PID_NS}/nationality`,
      `/${PID_NS}/issuing_country`,
    ])
    const r = validateMdocElements(EU_PID_DOCTYPE, {
      [PID_NS]: { ...pid, nationality: 'DE', place_of_birth: { country: 'Germany' } },
    })
    expect(r.errors.map((e) => e.path)).toEqual([`/${PID_NS}/place_of_birth/country`, `/${PID_NS}/nationality`])
  })
  it('built-ins are listed by docType and frozen', () => {
    expect(BUILTIN_DOCTYPES['org.iso.18013.5.1.mDL']).toBe(MDL_DOCTYPE)
    expect(BUILTIN_DOCTYPES['eu.europa.ec.eudi.pid.1']).toBe(EU_PID_DOCTYPE)
    expect(Object.isFrozen(MDL_DOCTYPE.namespaces[MDL_NS]?.family_name)).toBe(true)
  })
})

describe('parseDoctypeDefinition', () => {
  it('parses a custom definition and refuses malformed ones', () => {
    const def: DoctypeDefinition = parseDoctypeDefinition({
      docType: 'org.example.membership.1',
      namespaces: { 'org.example.membership.1': { member_id: { type: 'tstr', required: true } } },
    })
    expect(validateMdocElements(def, {}).errors[0]?.path).toBe('/org.example.membership.1/member_id')
    for (const bad of [
      {},
      { docType: 'x', namespaces: { n: { e: { type: 'string' } } } },
      { docType: 'x', namespaces: {}, more: 1 },
    ]) {
      try {
        parseDoctypeDefinition(bad)
        expect.unreachable()
      } catch (e) {
        expect(isVcError(e, 'schema.doctype_invalid')).toBe(true)
      }
    }
  })
})

// Real issuer-signed data and DeviceResponses (vectors/mdoc, from mdoc-ts): decoded element values against the built-ins.
describe.skipIf(!vectorsPath('mdoc/real-world-device-responses.json'))('mdoc vectors against the built-in doctypes', () => {
  const all = () => JSON.parse(readVector('mdoc/real-world-device-responses.json')) as Record<string, Record<string, string>>
  function namespacesOf(issuerSigned: Map<CborValue, CborValue>): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {}
    for (const [ns, items] of issuerSigned.get('nameSpaces') as Map<string, Tagged[]>) {
      out[ns] = {}
      for (const it of items) {
        const item = decodeCbor(it.value as Uint8Array) as Map<string, unknown>
        out[ns][item.get('elementIdentifier') as string] = item.get('elementValue')
      }
    }
    return out
  }
  const decode = (v: Record<string, string>, field: string) =>
    decodeCbor(new Uint8Array(Buffer.from(v[field] as string, v.encoding === 'hex' ? 'hex' : 'base64url')))

  it('a complete issued mDL (German BDR IssuerSigned) satisfies the mDL definition', () => {
    const issuerSigned = decode(all()['bdr-issuer-signed'] as Record<string, string>, 'issuerSigned') as Map<CborValue, CborValue>
    expect(validateMdocElements(MDL_DOCTYPE, namespacesOf(issuerSigned), { unknown: 'reject' })).toEqual({
      valid: true,
      errors: [],
    })
  })
  it('every disclosed mDL and PID document validates in disclosed mode', () => {
    let checked = 0
    for (const [name, v] of Object.entries(all())) {
      if (!v.deviceResponse) continue
      const res = decode(v, 'deviceResponse') as Map<CborValue, CborValue>
      for (const doc of res.get('documents') as Map<CborValue, CborValue>[]) {
        const def = BUILTIN_DOCTYPES[doc.get('docType') as string]
        if (!def) continue
        const r = validateMdocElements(def, namespacesOf(doc.get('issuerSigned') as Map<CborValue, CborValue>), {
          presence: 'disclosed',
          unknown: 'reject',
        })
        expect(r, name).toEqual({ valid: true, errors: [] })
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5)
  })
})
