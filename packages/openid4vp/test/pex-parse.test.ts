import { isVcError, type JsonValue } from '@bonafide/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createStrictFilterEvaluator,
  evaluateJsonPath,
  type FilterEvaluator,
  formatLocation,
  parseJsonPath,
  parsePresentationDefinition,
  parsePresentationSubmission,
  parseVpTokenParam,
  strictFilterEvaluator,
} from '../src/pex/index.js'

const code = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return isVcError(e) ? e.code : 'not-a-vc-error'
  }
  return undefined
}

const d = (id: string, extra: Record<string, unknown> = {}) => ({ id, constraints: { fields: [{ path: ['$.x'] }] }, ...extra })

describe('PEX 2.1.1 §Presentation Definition validity', () => {
  it.each([
    ['not an object', 'x'],
    ['an array', []],
    ['no id', { input_descriptors: [] }],
    ['no input_descriptors', { id: 'p' }],
    ['descriptor without constraints (required since 2.0)', { id: 'p', input_descriptors: [{ id: 'a' }] }],
    ['duplicate input descriptor ids', { id: 'p', input_descriptors: [d('a'), d('a')] }],
    [
      'duplicate field ids',
      {
        id: 'p',
        input_descriptors: [
          {
            id: 'a',
            constraints: {
              fields: [
                { id: 'f', path: ['$.x'] },
                { id: 'f', path: ['$.y'] },
              ],
            },
          },
        ],
      },
    ],
    ['a field without path', { id: 'p', input_descriptors: [{ id: 'a', constraints: { fields: [{}] } }] }],
    ['an empty path array', { id: 'p', input_descriptors: [{ id: 'a', constraints: { fields: [{ path: [] }] } }] }],
    [
      'limit_disclosure of another value',
      { id: 'p', input_descriptors: [{ id: 'a', constraints: { limit_disclosure: 'always' } }] },
    ],
    [
      'optional not a boolean',
      { id: 'p', input_descriptors: [{ id: 'a', constraints: { fields: [{ path: ['$.x'], optional: 'yes' }] } }] },
    ],
    [
      'predicate without filter',
      { id: 'p', input_descriptors: [{ id: 'a', constraints: { fields: [{ path: ['$.x'], predicate: 'required' }] } }] },
    ],
    ['unknown format designation', { id: 'p', input_descriptors: [d('a', { format: { 'sd-jwt-maybe': {} } })] }],
    ['empty format object', { id: 'p', format: {}, input_descriptors: [d('a')] }],
    ['format alg not an array', { id: 'p', input_descriptors: [d('a', { format: { mso_mdoc: { alg: 'ES256' } } })] }],
    ['group not an array', { id: 'p', input_descriptors: [d('a', { group: 'A' })] }],
    [
      'is_holder naming an unknown field',
      { id: 'p', input_descriptors: [{ id: 'a', constraints: { is_holder: [{ field_id: ['nope'], directive: 'required' }] } }] },
    ],
    ['too many descriptors', { id: 'p', input_descriptors: Array.from({ length: 65 }, (_, i) => d(`a${i}`)) }],
    ['too large', { id: 'p', purpose: 'x'.repeat(200_000), input_descriptors: [] }],
  ])('rejects %s', (_, input) => {
    expect(code(() => parsePresentationDefinition(input))).toBe('openid4vp.pex_definition_invalid')
  })
  it('accepts JSON text, size-limited', () => {
    expect(parsePresentationDefinition(JSON.stringify({ id: 'p', input_descriptors: [d('a')] })).id).toBe('p')
    expect(code(() => parsePresentationDefinition('{'))).toBe('openid4vp.pex_definition_invalid')
  })
  it('ignores unknown members (§Presentation Definition: MUST be ignored)', () => {
    const pd = parsePresentationDefinition({ id: 'p', input_descriptors: [d('a', { x_ext: 1 })], x_top: true })
    expect(pd.input_descriptors).toHaveLength(1)
  })
  it('refuses a field path outside the JSONPath subset', () => {
    const pd = { id: 'p', input_descriptors: [{ id: 'a', constraints: { fields: [{ path: ['$.x[?(@.y)]'] }] } }] }
    expect(code(() => parsePresentationDefinition(pd))).toBe('openid4vp.pex_path_unsupported')
  })
})

describe('PEX 2.1.1 §Submission Requirement Objects validity', () => {
  const grouped = [d('a', { group: ['A'] }), d('b', { group: ['B'] })]
  const def = (reqs: unknown, ids: unknown[] = grouped) => ({ id: 'p', input_descriptors: ids, submission_requirements: reqs })
  it.each([
    [
      'both from and from_nested (MUST produce an error)',
      [{ rule: 'all', from: 'A', from_nested: [{ rule: 'all', from: 'B' }] }],
    ],
    ['neither from nor from_nested', [{ rule: 'all' }]],
    ['an unknown rule (MUST produce an error)', [{ rule: 'some', from: 'A' }]],
    ['from naming no group', [{ rule: 'all', from: 'Z' }]],
    ['count of zero', [{ rule: 'pick', count: 0, from: 'A' }]],
    ['negative min', [{ rule: 'pick', min: -1, from: 'A' }]],
    ['max of zero', [{ rule: 'pick', max: 0, from: 'A' }]],
    ['max below min', [{ rule: 'pick', min: 2, max: 1, from: 'A' }]],
    ['non-integer count', [{ rule: 'pick', count: 1.5, from: 'A' }]],
    ['count with an all rule', [{ rule: 'all', count: 1, from: 'A' }]],
    ['empty from_nested', [{ rule: 'pick', count: 1, from_nested: [] }]],
    [
      'from_nested nested too deeply',
      [
        {
          rule: 'all',
          from_nested: [
            {
              rule: 'all',
              from_nested: [{ rule: 'all', from_nested: [{ rule: 'all', from_nested: [{ rule: 'all', from: 'A' }] }] }],
            },
          ],
        },
      ],
    ],
    ['a nested requirement naming no group', [{ rule: 'pick', count: 1, from_nested: [{ rule: 'all', from: 'Q' }] }]],
  ])('rejects %s', (_, reqs) => {
    expect(code(() => parsePresentationDefinition(def(reqs)))).toBe('openid4vp.pex_definition_invalid')
  })
  it('§Submission Requirements: with submission_requirements, every input descriptor MUST be grouped', () => {
    expect(code(() => parsePresentationDefinition(def([{ rule: 'all', from: 'A' }], [...grouped, d('c')])))).toBe(
      'openid4vp.pex_definition_invalid',
    )
  })
})

describe('PEX 2.1.1 §Presentation Submission validity', () => {
  const ok = { id: 's', definition_id: 'p', descriptor_map: [{ id: 'a', format: 'dc+sd-jwt', path: '$[0]' }] }
  it('a path_nested level without id inherits it (as the OpenID4VP draft examples write it)', () => {
    const nested = {
      id: 'a',
      format: 'jwt_vp_json',
      path: '$',
      path_nested: { format: 'jwt_vc_json', path: '$.verifiableCredential[0]' },
    }
    expect(parsePresentationSubmission({ ...ok, descriptor_map: [nested] }).descriptor_map[0]?.path_nested?.id).toBeUndefined()
  })
  it('parses object and JSON text', () => {
    expect(parsePresentationSubmission(ok).descriptor_map[0]?.path).toBe('$[0]')
    expect(parsePresentationSubmission(JSON.stringify(ok)).id).toBe('s')
  })
  it.each([
    ['no id', { definition_id: 'p', descriptor_map: [] }],
    ['no definition_id', { id: 's', descriptor_map: [] }],
    ['no descriptor_map', { id: 's', definition_id: 'p' }],
    ['an entry without format', { ...ok, descriptor_map: [{ id: 'a', path: '$' }] }],
    ['an entry without path', { ...ok, descriptor_map: [{ id: 'a', format: 'mso_mdoc' }] }],
    ['an unknown format', { ...ok, descriptor_map: [{ id: 'a', format: 'pdf', path: '$' }] }],
    ['a wildcard path (not one container)', { ...ok, descriptor_map: [{ id: 'a', format: 'mso_mdoc', path: '$[*]' }] }],
    ['a descent path', { ...ok, descriptor_map: [{ id: 'a', format: 'mso_mdoc', path: '$..vp' }] }],
    [
      'path_nested with another id',
      {
        ...ok,
        descriptor_map: [
          {
            id: 'a',
            format: 'jwt_vp_json',
            path: '$',
            path_nested: { id: 'b', format: 'jwt_vc_json', path: '$.vp.verifiableCredential[0]' },
          },
        ],
      },
    ],
    [
      'path_nested too deep',
      {
        ...ok,
        descriptor_map: [
          {
            id: 'a',
            format: 'jwt_vp_json',
            path: '$',
            path_nested: {
              id: 'a',
              format: 'jwt_vp_json',
              path: '$',
              path_nested: {
                id: 'a',
                format: 'jwt_vp_json',
                path: '$',
                path_nested: {
                  id: 'a',
                  format: 'jwt_vp_json',
                  path: '$',
                  path_nested: { id: 'a', format: 'jwt_vc_json', path: '$' },
                },
              },
            },
          },
        ],
      },
    ],
    ['not JSON', '{"id":'],
  ])('rejects %s', (_, input) => {
    expect(code(() => parsePresentationSubmission(input))).toMatch(/^openid4vp\.pex_(submission_invalid|path_unsupported)$/)
  })
})

describe('PEX 2.1.1 §Input Descriptor Object filter: the strict JSON Schema subset', () => {
  const t = (schema: JsonValue, value: JsonValue) => strictFilterEvaluator.compile(schema)(value)
  it.each([
    [{ type: 'string', const: 'IdentityCredential' }, 'IdentityCredential', true],
    [{ type: 'string', const: 'IdentityCredential' }, 'Other', false],
    [{ type: 'string', pattern: '^did:example:(123|456)$' }, 'did:example:456', true],
    [{ type: 'string', pattern: '^did:example:(123|456)$' }, 'did:example:789', false],
    [{ enum: ['DE', 'FR'] }, 'FR', true],
    [{ enum: ['DE', 'FR'] }, 'IT', false],
    [{ type: 'number', minimum: 18 }, 18, true],
    [{ type: 'number', exclusiveMinimum: 18 }, 18, false],
    [{ type: 'integer', maximum: 10 }, 9.5, false],
    [{ type: 'string', minLength: 2, maxLength: 3 }, 'abcd', false],
    [{ type: 'string', format: 'date' }, '2000-02-29', true],
    [{ type: 'string', format: 'date' }, '2001-02-29', false],
    [{ type: 'string', format: 'date-time' }, '2030-01-01T10:00:00Z', true],
    [{ type: 'string', format: 'date-time' }, '2030-01-01 10:00', false],
    [{ type: 'string', format: 'date', formatMaximum: '2007-01-01' }, '2006-05-01', true],
    [{ type: 'string', format: 'date', formatMaximum: '2007-01-01' }, '2008-05-01', false],
    [{ type: 'array', contains: { const: 'PID' } }, ['VC', 'PID'], true],
    [{ type: 'array', items: { type: 'string' } }, ['a', 1], false],
    [{ not: { const: 'x' } }, 'x', false],
    [{ allOf: [{ type: 'string' }, { minLength: 1 }] }, '', false],
    [{ anyOf: [{ type: 'string' }, { type: 'boolean' }] }, true, true],
    [{ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, { id: 1 }, false],
    [{ type: 'boolean', const: true }, true, true],
    [
      { type: 'string', pattern: '^(DE|FR)[0-9]{2}\\s?([0-9a-zA-Z]{4}\\s?){4}[0-9a-zA-Z]{2}$' },
      'DE89 3704 0044 0532 0130 00',
      true,
    ],
    [{ type: 'string', pattern: '^(a|b)+$' }, 'abba', true],
  ])('%j on %j → %s', (schema, value, want) => {
    expect(t(schema as JsonValue, value as JsonValue)).toBe(want)
  })
  it.each([
    [{ type: 'string', $data: '1' }],
    [{ type: 'string', format: 'email' }],
    [{ type: 'strung' }],
    [JSON.parse('{"if":{"const":1},"then":{"const":2}}')],
    [{ pattern: '(' }],
    [{ pattern: '^(a+)+$' }],
    [{ pattern: '(\\w*)*x' }],
    [{ pattern: '^(?:x|(b{2,})){3,}$' }],
    [{ $ref: 'https://example.com/schema.json' }],
    [{ items: [{ type: 'string' }] }],
    [{ formatMaximum: '2000-01-01' }],
    [{ minimum: '5' }],
    ['a string schema'],
  ])('refuses %j with openid4vp.pex_filter_unsupported', (schema) => {
    expect(code(() => strictFilterEvaluator.compile(schema as JsonValue))).toBe('openid4vp.pex_filter_unsupported')
  })
  it('refuses an over-large schema and a runaway recursive $ref', () => {
    const deep = { allOf: Array.from({ length: 600 }, () => ({ type: 'string' })) }
    expect(code(() => strictFilterEvaluator.compile(deep))).toBe('openid4vp.pex_filter_unsupported')
    const loop = { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }
    const f = createStrictFilterEvaluator().compile(loop)
    expect(code(() => f('x'))).toBe('openid4vp.pex_filter_unsupported')
  })
  it('a definition can be parsed with an injected evaluator (e.g. Ajv in the application)', () => {
    const seen: JsonValue[] = []
    const injected: FilterEvaluator = {
      compile: (s) => {
        seen.push(s)
        return () => true
      },
    }
    const pd = {
      id: 'p',
      input_descriptors: [{ id: 'a', constraints: { fields: [{ path: ['$.x'], filter: { type: 'string', if: {} } }] } }],
    }
    expect(code(() => parsePresentationDefinition(pd))).toBe('openid4vp.pex_filter_unsupported')
    expect(parsePresentationDefinition(pd, { filterEvaluator: injected }).id).toBe('p')
    expect(seen).toHaveLength(1)
  })
})

describe('JSONPath subset invariants (property)', () => {
  function locations(v: JsonValue, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    out.push(at)
    if (Array.isArray(v)) for (const [i, x] of v.entries()) locations(x, [...at, i], out)
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) locations(v[k] as JsonValue, [...at, k], out)
    return out
  }
  it('the normalized path of every node selects exactly that node', () =>
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        for (const loc of locations(v as JsonValue)) {
          const nodes = evaluateJsonPath(parseJsonPath(formatLocation(loc)), v as JsonValue)
          expect(nodes.map((n) => n.location)).toEqual([loc])
        }
      }),
    ))
  it('$..* selects every node but the root, each once (RFC 9535 §2.5.2)', () =>
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const key = (l: readonly (string | number)[]) => JSON.stringify(l)
        const all = locations(v as JsonValue)
          .slice(1)
          .map(key)
          .sort()
        expect(
          evaluateJsonPath(parseJsonPath('$..*'), v as JsonValue)
            .map((n) => key(n.location))
            .sort(),
        ).toEqual(all)
      }),
    ))
})

describe('the vp_token form parameter of a PEX response', () => {
  it('JSON arrays and objects are decoded, single presentations kept as they are', () => {
    expect(parseVpTokenParam('["a~","b"]')).toEqual(['a~', 'b'])
    expect(parseVpTokenParam('eyJ.x.y~')).toBe('eyJ.x.y~')
    expect(code(() => parseVpTokenParam('[1,'))).toBe('openid4vp.vp_token_invalid')
    expect(code(() => parseVpTokenParam(''))).toBe('openid4vp.vp_token_invalid')
    expect(code(() => parseVpTokenParam(['a']))).toBe('openid4vp.vp_token_invalid')
  })
})

describe('robustness (property): untrusted input fails only with typed errors', () => {
  const typedOrOk = (f: () => unknown) => {
    const c = code(f)
    expect(c === undefined || c !== 'not-a-vc-error').toBe(true)
  }
  const arbPath = fc.oneof(fc.string(), fc.constantFrom('$', '$.a', "$['a']", '$.a[0]', '$..x', '$[*]', '$.a[?(@)]', '$['))
  const arbField = fc.record(
    { path: fc.array(arbPath, { maxLength: 3 }), filter: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }) },
    { requiredKeys: ['path'] },
  )
  const arbDescriptor = fc.record({
    id: fc.string(),
    group: fc.option(fc.array(fc.constantFrom('A', 'B')), { nil: undefined }),
    constraints: fc.record({ fields: fc.array(arbField, { maxLength: 3 }) }),
  })
  const arbRequirement = fc.letrec((tie) => ({
    req: fc.record(
      {
        rule: fc.constantFrom('all', 'pick', 'any'),
        from: fc.constantFrom('A', 'B', 'C'),
        from_nested: fc.array(tie('req'), { maxLength: 2 }),
        count: fc.integer({ min: -1, max: 3 }),
        min: fc.integer({ min: -1, max: 3 }),
        max: fc.integer({ min: -1, max: 3 }),
      },
      { requiredKeys: ['rule'] },
    ),
  })).req
  it('parsePresentationDefinition', () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            id: fc.string(),
            input_descriptors: fc.array(arbDescriptor, { maxLength: 4 }),
            submission_requirements: fc.array(arbRequirement, { maxLength: 3 }),
          }),
        ),
        (v) => typedOrOk(() => parsePresentationDefinition(v)),
      ),
    ))
  it('parsePresentationSubmission', () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            id: fc.string(),
            definition_id: fc.string(),
            descriptor_map: fc.array(fc.record({ id: fc.string(), format: fc.constantFrom('mso_mdoc', 'x'), path: arbPath }), {
              maxLength: 3,
            }),
          }),
        ),
        (v) => typedOrOk(() => parsePresentationSubmission(v)),
      ),
    ))
  const KW = [
    'type',
    'const',
    'enum',
    'pattern',
    'minLength',
    'maximum',
    'format',
    'formatMaximum',
    'items',
    'contains',
    'not',
    'allOf',
    'anyOf',
    'oneOf',
    'properties',
    'required',
    'additionalProperties',
    '$ref',
    '$defs',
    'uniqueItems',
    'multipleOf',
  ]
  const arbSchema = fc.letrec((tie) => ({
    s: fc.dictionary(
      fc.constantFrom(...KW),
      fc.oneof(
        { maxDepth: 3, depthSize: 'small' },
        fc.constantFrom('string', 'number', 'date', '^a+$', '#/$defs/x', '2000-01-01', 0, 3, true),
        fc.jsonValue({ maxDepth: 1 }),
        tie('s'),
        fc.array(tie('s'), { maxLength: 2 }),
        fc.dictionary(fc.constantFrom('x', 'y'), tie('s')),
      ),
      { maxKeys: 4 },
    ),
  })).s
  it('the strict filter evaluator: compile and run on arbitrary schemas and values', () =>
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), arbSchema), fc.jsonValue({ maxDepth: 3 }), (schema, value) =>
        typedOrOk(() => strictFilterEvaluator.compile(schema as JsonValue)(value as JsonValue)),
      ),
    ))
})
