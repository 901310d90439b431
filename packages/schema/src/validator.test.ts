import { isVcError } from '@bonafide/core'
import { describe, expect, it } from 'vitest'
import { parseSchemaDocument } from './document.js'
import { assertClaims, SchemaValidator, validateClaims } from './validator.js'

// A W3C-style credentialSubject schema (VC Data Model 2.0 §5.4 credentialSchema, JsonSchema 2020-12).
const degreeSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'University degree',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uri' },
    name: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    degree: {
      type: 'object',
      properties: { type: { type: 'string', enum: ['BachelorDegree', 'MasterDegree'] }, name: { type: 'string' } },
      required: ['type', 'name'],
      additionalProperties: false,
    },
    graduated: { type: 'string', format: 'date' },
  },
  required: ['id', 'name', 'degree'],
}
const good = {
  id: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
  name: 'Jayden Doe',
  email: 'jayden@example.edu',
  degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' },
  graduated: '2024-06-30',
}

function code(f: () => unknown): string | undefined {
  try {
    f()
    return undefined
  } catch (e) {
    return isVcError(e) ? e.code : String(e)
  }
}

describe('validateClaims (JSON Schema 2020-12 with Ajv)', () => {
  it('accepts claims that match', () => {
    expect(validateClaims(degreeSchema, good)).toEqual({ valid: true, errors: [] })
  })
  it('reports a missing field by its own JSON Pointer', () => {
    const { degree: _d, ...missing } = good
    const r = validateClaims(degreeSchema, missing)
    expect(r.valid).toBe(false)
    expect(r.errors).toEqual([{ path: '/degree', keyword: 'required', message: "must have required property 'degree'" }])
  })
  it('reports every failed field: wrong types, nested missing, enum, format, extra member', () => {
    const bad = {
      id: 'not a uri',
      name: 42,
      email: 'nope',
      degree: { type: 'PhD', extra: true },
      graduated: '2024-13-45',
    }
    const r = validateClaims(degreeSchema, bad)
    expect(r.valid).toBe(false)
    const seen = r.errors.map((e) => `${e.path} ${e.keyword}`).sort()
    expect(seen).toEqual(
      [
        '/degree/extra additionalProperties',
        '/degree/name required',
        '/degree/type enum',
        '/email format',
        '/graduated format',
        '/id format',
        '/name type',
      ].sort(),
    )
  })
  it('escapes JSON Pointer tokens (RFC 6901 §3)', () => {
    const r = validateClaims({ type: 'object', required: ['a/b', 'c~d'] }, {})
    expect(r.errors.map((e) => e.path)).toEqual(['/a~1b', '/c~0d'])
  })
  it('assertClaims throws schema.claims_invalid listing the failed fields', () => {
    try {
      assertClaims(degreeSchema, { ...good, name: 1 })
      expect.unreachable()
    } catch (e) {
      expect(isVcError(e, 'schema.claims_invalid')).toBe(true)
      const errors = (e as { details: { errors: { path: string }[] } }).details.errors
      expect(errors.map((x) => x.path)).toEqual(['/name'])
      expect((e as Error).message).toContain('/name')
    }
    expect(() => assertClaims(degreeSchema, good)).not.toThrow()
  })
  it('names only schema-declared fields in the error message; member names from the input stay in details', () => {
    try {
      assertClaims({ type: 'object', additionalProperties: false, required: ['a'] }, { '<script>': 1 })
      expect.unreachable()
    } catch (e) {
      expect((e as Error).message).toBe('claims do not match the schema at /a (2 errors)')
      expect(JSON.stringify((e as { details: unknown }).details)).toContain('<script>')
    }
  })
  it('refuses claims that are not plain JSON or are too large', () => {
    const v = new SchemaValidator({ maxClaimsBytes: 100 })
    expect(code(() => v.validate(degreeSchema, { ...good, name: 'x'.repeat(200) }))).toBe('schema.claims_too_large')
    expect(code(() => v.validate(degreeSchema, { when: new Date(0) }))).toBe('schema.claims_invalid')
  })
})

describe('remote $ref (no network)', () => {
  it('refuses a remote $ref', () => {
    expect(code(() => validateClaims({ $ref: 'https://example.com/schemas/address.json' }, {}))).toBe('schema.ref_forbidden')
    expect(code(() => validateClaims({ properties: { a: { $dynamicRef: 'http://169.254.169.254/x#meta' } } }, {}))).toBe(
      'schema.ref_forbidden',
    )
  })
  it('refuses a relative $ref that resolves outside the document', () => {
    const s = { $id: 'https://example.com/schemas/person.json', properties: { home: { $ref: 'address.json' } } }
    expect(code(() => validateClaims(s, {}))).toBe('schema.ref_forbidden')
  })
  it('allows local refs, refs to embedded $ids, and $ref-shaped data under const/enum', () => {
    const s = {
      $id: 'https://example.com/schemas/person.json',
      $defs: { addr: { $id: 'https://example.com/schemas/addr.json', type: 'object', required: ['city'] } },
      properties: {
        a: { $ref: '#/$defs/addr' },
        b: { $ref: 'addr.json' },
        c: { const: { $ref: 'https://evil.example/x' } },
        enum: { type: 'string' },
      },
    }
    const r = validateClaims(s, { a: {}, b: { city: 'X' }, c: { $ref: 'https://evil.example/x' } })
    expect(r.errors).toEqual([{ path: '/a/city', keyword: 'required', message: "must have required property 'city'" }])
  })
  it('resolves refs only to schemas loaded into the validator (the allowlist)', () => {
    const address = { $id: 'https://example.com/schemas/address.json', type: 'object', required: ['city'] }
    const v = new SchemaValidator({ schemas: [address] })
    const s = { type: 'object', properties: { home: { $ref: 'https://example.com/schemas/address.json' } } }
    expect(v.validate(s, { home: {} }).errors.map((e) => e.path)).toEqual(['/home/city'])
    expect(v.validate(s, { home: { city: 'Bern' } }).valid).toBe(true)
    expect(code(() => new SchemaValidator().validate(s, {}))).toBe('schema.ref_forbidden')
    expect(code(() => v.addSchema({ type: 'object' }))).toBe('schema.document_invalid') // no $id
  })
})

describe('parseSchemaDocument: strict, size and depth limited', () => {
  it('refuses non-objects, other dialects, bad JSON and non-JSON values', () => {
    for (const bad of [[], true, null, 'null', '[1]', '{"type":', 42])
      expect(code(() => parseSchemaDocument(bad))).toBe('schema.document_invalid')
    expect(code(() => parseSchemaDocument({ $schema: 'http://json-schema.org/draft-07/schema#' }))).toBe(
      'schema.document_invalid',
    )
    expect(code(() => parseSchemaDocument({ default: new Date(0) }))).toBe('schema.document_invalid')
    expect(code(() => parseSchemaDocument({ default: () => 1 }))).toBe('schema.document_invalid')
    expect(code(() => parseSchemaDocument({ pattern: 'a'.repeat(600) }))).toBe('schema.document_invalid')
  })
  it('refuses documents that are too deep (cycles included) or too large', () => {
    let deep: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i < 100; i++) deep = { properties: { a: deep } }
    expect(code(() => parseSchemaDocument(deep))).toBe('schema.document_too_deep')
    const cyclic: Record<string, unknown> = { type: 'object' }
    cyclic.properties = { self: cyclic }
    expect(code(() => parseSchemaDocument(cyclic))).toBe('schema.document_too_deep')
    expect(code(() => parseSchemaDocument({ description: 'x'.repeat(300_000) }))).toBe('schema.document_too_large')
    expect(code(() => parseSchemaDocument(`{"description":"${'x'.repeat(300_000)}"}`))).toBe('schema.document_too_large')
  })
  it('returns a deep-frozen copy', () => {
    const input = { type: 'object', properties: { a: { type: 'string' } } }
    const doc = parseSchemaDocument(input)
    input.properties.a.type = 'number'
    expect(doc).toEqual({ type: 'object', properties: { a: { type: 'string' } } })
    expect(Object.isFrozen((doc.properties as Record<string, object>).a)).toBe(true)
  })
  it('refuses unknown keywords and formats (strict mode) unless allowed', () => {
    expect(code(() => validateClaims({ type: 'object', requird: ['a'] }, {}))).toBe('schema.document_invalid')
    expect(code(() => validateClaims({ type: 'string', format: 'no-such-format' }, ''))).toBe('schema.document_invalid')
    expect(new SchemaValidator({ allowUnknownKeywords: true }).validate({ 'x-label': 'a' }, {}).valid).toBe(true)
  })
})

describe('compile cache', () => {
  it('compiles once per content and reuses the validator for an equal document', () => {
    const v = new SchemaValidator()
    v.validate(structuredClone(degreeSchema), good)
    v.validate(structuredClone(degreeSchema), good)
    v.validate({ ...structuredClone(degreeSchema), required: ['id'] }, good)
    expect(v.cached).toBe(2)
  })
  it('reuses an already parsed document, unless the validator has stricter limits', () => {
    const doc = parseSchemaDocument({ description: 'x'.repeat(100), type: 'object' })
    const v = new SchemaValidator()
    expect(v.validate(doc, {}).valid).toBe(true)
    expect(v.validate(doc, {}).valid).toBe(true)
    expect(v.cached).toBe(1)
    expect(code(() => new SchemaValidator({ maxBytes: 50 }).validate(doc, {}))).toBe('schema.document_too_large')
    expect(new SchemaValidator({ maxBytes: 1 << 22 }).validate(doc, {}).valid).toBe(true)
  })
  it('a new document under a compiled $id replaces it; one under a loaded $id is schema.id_conflict', () => {
    const v = new SchemaValidator({ schemas: [{ $id: 'https://example.com/loaded', type: 'object' }] })
    const a = { $id: 'https://example.com/s/1', type: 'object' }
    expect(v.validate(a, {}).valid).toBe(true)
    expect(v.validate({ ...a }, {}).valid).toBe(true)
    expect(v.cached).toBe(1)
    expect(v.validate({ ...a, required: ['x'] }, {}).valid).toBe(false) // v2 kept the $id
    expect(v.validate(a, {}).valid).toBe(true)
    expect(v.cached).toBe(1)
    expect(code(() => v.validate({ $id: 'https://example.com/loaded', required: ['x'] }, {}))).toBe('schema.id_conflict')
    expect(v.validate({ $id: 'https://example.com/loaded', type: 'object' }, {}).valid).toBe(true)
    v.addSchema({ ...a, required: ['y'] }) // loading over a compiled one replaces it
    expect(v.validate({ $ref: 'https://example.com/s/1' }, {}).errors.map((e) => e.path)).toEqual(['/y'])
  })
  it('evicts the least recently used validator past cacheSize and still validates', () => {
    const v = new SchemaValidator({ cacheSize: 2 })
    for (let i = 0; i < 5; i++)
      expect(v.validate({ $id: `https://example.com/s/${i}`, minProperties: i }, {}).valid).toBe(i === 0)
    expect(v.cached).toBe(2)
    expect(v.validate({ $id: 'https://example.com/s/0', minProperties: 0 }, {}).valid).toBe(true)
  })
})
