import { isVcError } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { decodeSdJwt, issueSdJwtVc } from '@bonafide/sd-jwt'
import { describe, expect, it } from 'vitest'
import {
  type CredentialSchema,
  createTypeMetadata,
  documentIntegrity,
  MemorySchemaRegistry,
  mergeTypeMetadata,
  parseTypeMetadata,
  schemaDocumentBytes,
  selectClaims,
  typeMetadataBytes,
  validateSdJwtVcClaims,
} from '../src/index.js'

// Sections as numbered in draft-ietf-oauth-sd-jwt-vc-18's markdown: §4 Type Metadata, §4.6 Claim Metadata.
const VCT = 'https://betelgeuse.example.com/education_credential/v42'
const educationSchema = {
  title: 'Betelgeuse Education Credential',
  type: 'object',
  properties: {
    vct: { type: 'string' },
    name: { type: 'string', title: 'Name' },
    address: {
      type: 'object',
      title: 'Address',
      properties: { street_address: { type: 'string', title: 'Street' }, city: { type: 'string' } },
      required: ['city'],
    },
    degrees: {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string', description: 'kind of degree' } } },
    },
  },
  required: ['name', 'address'],
}
// §4.6.1.1 Figure "Example Credential for Claim Path".
const credential = {
  vct: VCT,
  name: 'Arthur Dent',
  address: { street_address: '42 Market Street', city: 'Milliways', postal_code: '12345' },
  degrees: [
    { type: 'Bachelor of Science', university: 'University of Betelgeuse' },
    { type: 'Master of Science', university: 'University of Betelgeuse' },
  ],
  nationalities: ['British', 'Betelgeusian'],
}

async function record(extra: Record<string, unknown> = {}): Promise<CredentialSchema> {
  return new MemorySchemaRegistry().add({
    name: 'education',
    version: '42.0.0',
    author: 'https://betelgeuse.example.com',
    description: "This is our education credential. Don't panic.",
    schema: educationSchema,
    ...extra,
  })
}
const code = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return isVcError(e) ? e.code : String(e)
  }
}

describe('§4.6.1.2 claim path processing', () => {
  it('selects the claims of the spec examples', () => {
    expect(selectClaims(credential, ['name'])?.map((s) => s.value)).toEqual(['Arthur Dent'])
    expect(selectClaims(credential, ['address', 'street_address'])?.map((s) => s.value)).toEqual(['42 Market Street'])
    expect(selectClaims(credential, ['degrees', null, 'type'])).toEqual([
      { path: ['degrees', 0, 'type'], value: 'Bachelor of Science' },
      { path: ['degrees', 1, 'type'], value: 'Master of Science' },
    ])
    expect(selectClaims(credential, ['nationalities', 1])?.map((s) => s.value)).toEqual(['Betelgeusian'])
  })
  it('drops missing keys and indices; errors on a key into a non-object or an index into a non-array', () => {
    expect(selectClaims(credential, ['nickname'])).toEqual([])
    expect(selectClaims(credential, ['nationalities', 5])).toEqual([])
    expect(selectClaims(credential, ['name', 'first'])).toBeUndefined()
    expect(selectClaims(credential, ['address', null])).toBeUndefined()
  })
})

describe('createTypeMetadata (§4.2) from a registered schema', () => {
  it('builds vct, name, description, display and claims with path/display/mandatory/sd/svg_id', async () => {
    const doc = createTypeMetadata(await record(), { vct: VCT, sd: 'always', locale: 'en-US' })
    expect(doc).toMatchObject({
      vct: VCT,
      name: 'education',
      description: "This is our education credential. Don't panic.",
      display: [{ locale: 'en-US', name: 'Betelgeuse Education Credential' }],
    })
    expect(doc.claims).toEqual([
      { path: ['name'], display: [{ locale: 'en-US', label: 'Name' }], mandatory: true, sd: 'always', svg_id: 'name' },
      { path: ['address'], display: [{ locale: 'en-US', label: 'Address' }], mandatory: true, sd: 'always', svg_id: 'address' },
      {
        path: ['address', 'street_address'],
        display: [{ locale: 'en-US', label: 'Street' }],
        sd: 'always',
        svg_id: 'address_street_address',
      },
      {
        path: ['address', 'city'],
        display: [{ locale: 'en-US', label: 'city' }],
        mandatory: true,
        sd: 'always',
        svg_id: 'address_city',
      },
      { path: ['degrees'], display: [{ locale: 'en-US', label: 'degrees' }], sd: 'always', svg_id: 'degrees' },
      {
        path: ['degrees', null, 'type'],
        display: [{ locale: 'en-US', label: 'type', description: 'kind of degree' }],
        sd: 'always',
        svg_id: 'degrees_type',
      },
    ])
    expect(parseTypeMetadata(doc)).toEqual(doc) // conforms to the §4.6 structure
    expect(doc.schema).toBeUndefined() // removed from Type Metadata in draft -12
  })
  it('merges per-claim overrides by path', async () => {
    const doc = createTypeMetadata(await record(), {
      vct: VCT,
      claims: [
        { path: ['name'], sd: 'never' },
        { path: ['nationalities'], display: [{ locale: 'en', label: 'Nationalities' }] },
      ],
    })
    expect(doc.claims?.find((c) => c.path[0] === 'name')?.sd).toBe('never')
    expect(doc.claims?.at(-1)).toEqual({ path: ['nationalities'], display: [{ locale: 'en', label: 'Nationalities' }] })
  })
  it('§5 optionally references the schema by URI with integrity over the published bytes', async () => {
    const rec = await record({ url: 'https://betelgeuse.example.com/schemas/education.json' })
    const doc = createTypeMetadata(rec, { vct: VCT, schemaMember: 'uri' })
    expect(doc.schema_uri).toBe(rec.url)
    expect(doc['schema_uri#integrity']).toBe(documentIntegrity(schemaDocumentBytes(rec)))
    expect(doc['schema_uri#integrity']).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/)
    expect(createTypeMetadata(rec, { vct: VCT, schemaMember: 'embed' }).schema).toEqual(educationSchema)
    expect(documentIntegrity(typeMetadataBytes(doc))).toMatch(/^sha256-/)
  })
})

describe('validateSdJwtVcClaims (§4.6 claim metadata validation)', () => {
  it('accepts a payload that satisfies the metadata', async () => {
    const doc = createTypeMetadata(await record(), { vct: VCT })
    expect(validateSdJwtVcClaims(doc, credential)).toEqual({ valid: true, errors: [] })
  })
  it('§4.6.3 reports a missing mandatory claim in a complete payload, not in a presentation', async () => {
    const doc = createTypeMetadata(await record(), { vct: VCT })
    const { city: _c, ...address } = credential.address
    const payload = { ...credential, address }
    expect(validateSdJwtVcClaims(doc, payload).errors).toEqual([
      { path: '/address/city', keyword: 'mandatory', message: 'mandatory claim is missing' },
    ])
    expect(validateSdJwtVcClaims(doc, payload, { complete: false }).valid).toBe(true)
  })
  it('§4.6.1.2 fails when a path does not fit the payload; §4.3 when vct differs', async () => {
    const doc = createTypeMetadata(await record(), { vct: VCT })
    const r = validateSdJwtVcClaims(doc, { ...credential, vct: 'urn:other', address: 'somewhere' })
    expect(r.errors.map((e) => `${e.path} ${e.keyword}`)).toEqual([
      '/vct vct',
      '/address/street_address path',
      '/address/city path',
    ])
  })
  it('§4.6 malformed claim metadata makes processing fail', () => {
    for (const claims of [
      [{ path: [] }],
      [{ path: ['a', -1] }],
      [{ path: ['a'], sd: 'sometimes' }],
      [{ path: ['a'], svg_id: '1a' }],
    ])
      expect(code(() => validateSdJwtVcClaims({ vct: VCT, claims }, credential))).toBe('schema.type_metadata_invalid')
    const dup = [
      { path: ['a'], svg_id: 'x' },
      { path: ['b'], svg_id: 'x' },
    ]
    expect(code(() => parseTypeMetadata({ vct: VCT, claims: dup }))).toBe('schema.type_metadata_invalid')
    expect(code(() => parseTypeMetadata({ name: 'no vct' }))).toBe('schema.type_metadata_invalid')
  })
  it('§4.6.4 checks sd always/never against an issued SD-JWT VC’s disclosures', async () => {
    const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
    const doc = createTypeMetadata(await record(), {
      vct: VCT,
      claims: [
        { path: ['name'], sd: 'always' },
        { path: ['degrees', null, 'type'], sd: 'never' },
      ],
    })
    const { vct: _v, ...claims } = credential
    const issue = (disclosable: string[]) =>
      issueSdJwtVc({ signer, iss: 'https://betelgeuse.example.com', vct: VCT, claims, disclosable })
    const good = decodeSdJwt(await issue(['name', 'address.city']))
    const goodReport = validateSdJwtVcClaims(doc, good.claims, {
      disclosed: good.paths.map((p) => p.path as (string | number)[]),
    })
    expect(goodReport).toEqual({ valid: true, errors: [] })
    const bad = decodeSdJwt(await issue(['degrees.1.type']))
    const r = validateSdJwtVcClaims(doc, bad.claims, { disclosed: bad.paths.map((p) => p.path as (string | number)[]) })
    expect(r.errors).toEqual([
      { path: '/name', keyword: 'sd', message: 'claim must be selectively disclosable' },
      { path: '/degrees/1/type', keyword: 'sd', message: 'claim must not be selectively disclosable' },
    ])
  })
  it('also validates against the JSON Schema when given', async () => {
    const rec = await record()
    const doc = createTypeMetadata(rec, { vct: VCT })
    const r = validateSdJwtVcClaims(doc, { ...credential, name: 7 }, { schema: rec.schema })
    expect(r.errors).toEqual([{ path: '/name', keyword: 'type', message: 'must be string' }])
  })
})

describe('mergeTypeMetadata (§4.4 extends)', () => {
  const base = {
    vct: 'https://example.com/base-type-metadata',
    display: [{ locale: 'en', name: 'Base' }],
    claims: [
      { path: ['name'], display: [{ label: 'Full Name', locale: 'en' }] },
      { path: ['address', 'city'], display: [{ label: 'City', locale: 'en' }] },
    ],
  }
  const child = {
    vct: 'https://example.com/custom-type-metadata',
    extends: 'https://example.com/base-type-metadata',
    claims: [
      { path: ['address', 'city'], display: [{ label: 'Town', locale: 'en' }] },
      { path: ['nationalities'], display: [{ label: 'Nationalities', locale: 'en' }] },
    ],
  }
  it('§4.6.5 yields the effective claim metadata of the spec example; §4.5.2 display inherited', () => {
    const m = mergeTypeMetadata([child, base])
    expect(m.vct).toBe(child.vct)
    expect(m.extends).toBeUndefined()
    expect(m.display).toEqual(base.display)
    expect(m.claims).toEqual([
      { path: ['name'], display: [{ label: 'Full Name', locale: 'en' }] },
      { path: ['address', 'city'], display: [{ label: 'Town', locale: 'en' }] },
      { path: ['nationalities'], display: [{ label: 'Nationalities', locale: 'en' }] },
    ])
  })
  it('§4.6.5.1 refuses changing sd always/never or dropping mandatory', () => {
    const strict = { ...base, claims: [{ path: ['name'], sd: 'always', mandatory: true }] }
    expect(code(() => mergeTypeMetadata([{ ...child, claims: [{ path: ['name'], sd: 'never' }] }, strict]))).toBe(
      'schema.type_metadata_invalid',
    )
    expect(code(() => mergeTypeMetadata([{ ...child, claims: [{ path: ['name'], mandatory: false }] }, strict]))).toBe(
      'schema.type_metadata_invalid',
    )
    const relaxed = { ...base, claims: [{ path: ['name'], sd: 'allowed' }] }
    expect(mergeTypeMetadata([{ ...child, claims: [{ path: ['name'], sd: 'never' }] }, relaxed]).claims).toEqual([
      { path: ['name'], sd: 'never' },
    ])
  })
})
