import { Buffer } from 'node:buffer'
import type { JsonObject, JsonValue } from '@bonafide/core'
import { type CborValue, decodeCbor, encodeCbor, Tagged } from '@bonafide/cose'
import { generatePrivateJwk, type Signer, signerFromPrivateJwk } from '@bonafide/keys'
import { createDevChain } from '@bonafide/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  issueMdoc,
  issueMdocBatch,
  issuerSignedElementValues,
  toElementValue,
  toElementValues,
  toTypedJsonValue,
  verifyIssuerSigned,
} from '../src/index.js'

const MDL = 'org.iso.18013.5.1.mDL'
const NS = 'org.iso.18013.5.1'
const PORTRAIT = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xfe])
const portrait64 = Buffer.from(PORTRAIT).toString('base64url')

const typedClaims = (over: JsonObject = {}) => ({
  [NS]: {
    family_name: 'Mustermann',
    birth_date: { '$full-date': '1964-08-12' },
    issue_date: '2026-01-01',
    portrait: { $bstr: portrait64 },
    portrait_capture_date: { $tdate: '2025-12-01T09:30:00Z' },
    document_number: { $tstr: '2026-01-01' },
    driving_privileges: [{ vehicle_category_code: 'B', issue_date: { '$full-date': '2010-05-01' } }],
    ...over,
  },
})

function counting(s: Signer): Signer & { count: () => number } {
  let n = 0
  const sign = (d: Uint8Array) => {
    n++
    return s.sign(d)
  }
  return { alg: s.alg, keyRef: s.keyRef, publicJwk: s.publicJwk, sign, count: () => n }
}

describe('typed element values in JSON claims (ISO 18013-5 §7.2.1 data element types)', async () => {
  const pki = await createDevChain()
  const signer = counting(signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' })))
  const x5chain = [pki.leaf.der]
  const device = () => signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk
  const issue = (claims: Record<string, JsonObject>) => issueMdoc({ signer, x5chain, docType: MDL, claims, deviceKey: device() })

  it('§7.2.1 $bstr issues a CBOR bstr, $full-date tag 1004 (RFC 8943), $tdate tag 0, $tstr a text string', async () => {
    const bytes = await issue(typedClaims())
    verifyIssuerSigned(bytes, { trustAnchors: [pki.root.pem], docType: MDL })
    const els = issuerSignedElementValues(bytes)[NS] ?? {}
    expect(els.portrait).toBeInstanceOf(Uint8Array)
    expect(els.portrait).toEqual(PORTRAIT)
    expect(els.birth_date).toEqual(new Tagged(1004, '1964-08-12'))
    expect(els.portrait_capture_date).toEqual(new Tagged(0, '2025-12-01T09:30:00Z'))
    expect(els.document_number).toBe('2026-01-01')
    // plain JSON keeps its meaning: a YYYY-MM-DD string is a full-date, an object a map
    expect(els.issue_date).toEqual(new Tagged(1004, '2026-01-01'))
    const dp = (els.driving_privileges as CborValue[])[0] as Map<CborValue, CborValue>
    expect(dp).toBeInstanceOf(Map)
    expect(dp.get('issue_date')).toEqual(new Tagged(1004, '2010-05-01'))
    // on the wire: the encoded items carry major type 2 and tag 1004 (0xd9 0x03 0xec)
    const hex = Buffer.from(bytes).toString('hex')
    expect(hex).toContain(`4c${Buffer.from(PORTRAIT).toString('hex')}`)
    expect(hex).toContain(`d903ec6a${Buffer.from('1964-08-12').toString('hex')}`)
  })

  it('the verifier view stays plain JSON (DCQL values compare strings): bytes base64url, dates as strings', async () => {
    const v = verifyIssuerSigned(await issue(typedClaims()), { trustAnchors: [pki.root.pem] })
    expect(v.claims[NS]?.portrait).toBe(portrait64)
    expect(v.claims[NS]?.birth_date).toBe('1964-08-12')
    expect(v.claims[NS]?.portrait_capture_date).toBe('2025-12-01T09:30:00Z')
  })

  it('toTypedJsonValue is the exact inverse: issued elements → typed JSON → the same claims', async () => {
    const claims = typedClaims()
    const els = issuerSignedElementValues(await issue(claims))[NS] ?? {}
    const back = Object.fromEntries(Object.entries(els).map(([k, x]) => [k, toTypedJsonValue(x)]))
    expect(back).toEqual({
      ...claims[NS],
      issue_date: { '$full-date': '2026-01-01' },
      driving_privileges: [{ vehicle_category_code: 'B', issue_date: { '$full-date': '2010-05-01' } }],
    })
  })

  it('property: toElementValue(toTypedJsonValue(v)) encodes to the same CBOR as v', () => {
    const day = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString())
    const leaf: fc.Arbitrary<CborValue> = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      day.map((d) => new Tagged(1004, d.slice(0, 10))),
      day.map((d) => new Tagged(0, d.replace(/\.\d{3}Z$/, 'Z'))),
      day.map((d) => d.slice(0, 10)),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    )
    const value = fc.letrec<{ v: CborValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc
          .dictionary(
            fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'),
            tie('v'),
            { maxKeys: 4 },
          )
          .map((o) => new Map<CborValue, CborValue>(Object.entries(o))),
      ),
    })).v
    fc.assert(
      fc.property(value, (v) => {
        const back = toElementValue(JSON.parse(JSON.stringify(toTypedJsonValue(v))) as JsonValue)
        expect(Buffer.from(encodeCbor(back)).toString('hex')).toBe(Buffer.from(encodeCbor(v)).toString('hex'))
      }),
    )
  })

  const bad: [string, JsonValue, string][] = [
    ['$bstr with padding', { $bstr: `${portrait64}==` }, 'portrait'],
    ['$bstr in base64 (not url)', { $bstr: 'a+b/' }, 'portrait'],
    ['$bstr non-canonical', { $bstr: 'AB' }, 'portrait'],
    ['$bstr not a string', { $bstr: 12 }, 'portrait'],
    ['$full-date not a day', { '$full-date': '2023-02-30' }, 'birth_date'],
    ['$full-date with a time', { '$full-date': '1964-08-12T00:00:00Z' }, 'birth_date'],
    ['$tdate with fractional seconds', { $tdate: '2025-12-01T09:30:00.5Z' }, 'portrait_capture_date'],
    ['$tdate with an offset', { $tdate: '2025-12-01T09:30:00+01:00' }, 'portrait_capture_date'],
    ['$tdate out of range', { $tdate: '2025-12-01T25:30:00Z' }, 'portrait_capture_date'],
    ['a marker with another member', { $bstr: portrait64, type: 'jpeg' }, 'portrait'],
  ]
  for (const [what, value, element] of bad) {
    it(`§7.2.1 refuses ${what} before anything is signed, naming the element`, async () => {
      const before = signer.count()
      const err = await issueMdocBatch({
        signer,
        x5chain,
        docType: MDL,
        claims: typedClaims({ [element]: value }),
        entries: [{ deviceKey: device() }, { deviceKey: device() }],
      }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'mdoc.structure_invalid', details: { path: `/${NS}/${element}` } })
      expect(String((err as Error).message)).not.toContain(portrait64)
      expect(signer.count()).toBe(before)
    })
  }

  it('a malformed typed value deep inside names its JSON Pointer', () => {
    const claims = { [NS]: { driving_privileges: [{ issue_date: { '$full-date': '2010-13-01' } }] } }
    expect(() => toElementValues(claims)).toThrow(
      expect.objectContaining({ details: { path: `/${NS}/driving_privileges/0/issue_date` } }),
    )
  })

  it('objects with other $-members are plain maps (only the four markers are reserved)', () => {
    expect(toElementValue({ $date: '2020-01-01' })).toEqual(new Map([['$date', new Tagged(1004, '2020-01-01')]]))
  })

  it('issuerSignedElementValues refuses a malformed IssuerSigned', () => {
    expect(() => issuerSignedElementValues(encodeCbor([1]))).toThrow(expect.objectContaining({ code: 'mdoc.structure_invalid' }))
    const notEmbedded = encodeCbor(new Map([['nameSpaces', new Map([[NS, [new Map([['elementIdentifier', 'x']])]]])]]))
    expect(() => issuerSignedElementValues(notEmbedded)).toThrow(expect.objectContaining({ code: 'mdoc.structure_invalid' }))
    const noValue = encodeCbor(
      new Map([['nameSpaces', new Map([[NS, [new Tagged(24, encodeCbor(new Map([['elementIdentifier', 'x']])))]]])]]),
    )
    expect(() => issuerSignedElementValues(noValue)).toThrow(expect.objectContaining({ code: 'mdoc.structure_invalid' }))
    expect(issuerSignedElementValues(decodeCbor(encodeCbor(new Map([['issuerAuth', 0]]))))).toEqual({})
  })
})
