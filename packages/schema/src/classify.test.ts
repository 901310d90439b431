import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifySchemaChange } from './classify.js'
import { validateClaims } from './validator.js'

const base = {
  $id: 'https://example.com/degree/1.0.0',
  title: 'Degree',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100 },
    level: { type: 'string', enum: ['BSc', 'MSc'] },
    year: { type: 'integer', minimum: 1900 },
    address: { type: 'object', properties: { city: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name'],
}
type S = typeof base & Record<string, unknown>
const change = (f: (s: S) => void) => {
  const s = structuredClone(base) as S
  f(s)
  return classifySchemaChange(base, s)
}
const props = (s: S) => s.properties as Record<string, Record<string, unknown>>

describe('classifySchemaChange', () => {
  it('none when equal', () => {
    expect(classifySchemaChange(base, structuredClone(base))).toEqual({ kind: 'none', reasons: [] })
  })
  it('patch when only annotations change ($id, title, description, examples)', () => {
    const r = change((s) => {
      s.$id = 'https://example.com/degree/1.0.1'
      s.title = 'University degree'
      props(s).name!.description = 'full name'
      props(s).name!.examples = ['Ada']
    })
    expect(r.kind).toBe('patch')
    expect(r.reasons).toHaveLength(4)
  })
  it('additive when an optional property is added', () => {
    const r = change((s) => {
      props(s).nickname = { type: 'string' }
    })
    expect(r).toEqual({ kind: 'additive', reasons: ['additive: /nickname: optional property added'] })
  })
  it('additive when constraints relax: enum widened, bound relaxed, no longer required, type widened', () => {
    for (const f of [
      (s: S) => (props(s).level!.enum as string[]).push('PhD'),
      (s: S) => {
        props(s).name!.maxLength = 200
      },
      (s: S) => {
        s.required = []
      },
      (s: S) => {
        props(s).year!.type = ['integer', 'string']
      },
      (s: S) => {
        props(s).year!.type = 'number'
      },
    ])
      expect(change(f).kind).toBe('additive')
  })
  it('breaking when a property is removed', () => {
    const r = change((s) => {
      delete props(s).level
    })
    expect(r).toEqual({ kind: 'breaking', reasons: ['breaking: /level: property removed'] })
  })
  it("breaking when a property's type changes or narrows", () => {
    expect(change((s) => (props(s).name!.type = 'number')).reasons).toEqual(['breaking: /name: type changed'])
    expect(change((s) => (props(s).year!.type = 'null')).kind).toBe('breaking')
    const narrowed = structuredClone(base) as S
    props(narrowed).year!.type = 'number'
    expect(classifySchemaChange(narrowed, base).reasons).toEqual(['breaking: /year: type narrowed'])
  })
  it('breaking when a property becomes required, including a new required property', () => {
    expect(change((s) => s.required.push('level')).reasons).toEqual(['breaking: /level: newly required'])
    const r = change((s) => {
      props(s).id = { type: 'string' }
      s.required.push('id')
    })
    expect(r).toEqual({ kind: 'breaking', reasons: ['breaking: /id: newly required'] })
  })
  it('breaking when an enum narrows or appears', () => {
    expect(change((s) => (props(s).level!.enum as string[]).pop()).reasons).toEqual(['breaking: /level: enum narrowed'])
    expect(change((s) => (props(s).name!.enum = ['a'])).reasons).toEqual(['breaking: /name: enum added'])
  })
  it('breaking when additionalProperties: false is added (at any depth)', () => {
    expect(change((s) => (s.additionalProperties = false)).reasons).toEqual(['breaking: /: additionalProperties false added'])
    expect(change((s) => (props(s).address!.additionalProperties = false)).reasons).toEqual([
      'breaking: /address: additionalProperties false added',
    ])
  })
  it('breaking when bounds tighten, formats/patterns are added, nested item types change', () => {
    expect(change((s) => (props(s).year!.minimum = 2000)).reasons).toEqual(['breaking: /year: minimum tightened'])
    expect(change((s) => (props(s).name!.pattern = '^[A-Z]')).reasons).toEqual(['breaking: /name: pattern added'])
    expect(change((s) => (props(s).tags!.items = { type: 'integer' })).reasons).toEqual(['breaking: /tags/*: type changed'])
    expect(change((s) => (props(s).address!.properties = {})).reasons).toEqual(['breaking: /address/city: property removed'])
  })
  it('counts keywords it cannot reason about as breaking', () => {
    expect(change((s) => (s.allOf = [{ required: ['x'] }])).kind).toBe('breaking')
    expect(change((s) => (props(s).name!.$ref = '#/$defs/x')).kind).toBe('breaking')
  })
  it('takes the strongest kind over several changes', () => {
    const r = change((s) => {
      s.title = 'x'
      props(s).nick = { type: 'string' }
      delete props(s).tags
    })
    expect(r.kind).toBe('breaking')
    expect(r.reasons).toHaveLength(3)
  })
})

// Soundness: a change classified as not breaking never rejects claims the old schema accepted, except
// for members the old schema did not declare (an optional property added to an open object is additive).
describe('classifySchemaChange property', () => {
  type Prop = { type: string; enum?: string[] }
  type Flat = { type: 'object'; properties: Record<string, Prop>; required: string[]; additionalProperties?: false }
  const NAMES = ['a', 'b', 'c', 'd']
  const TYPES = ['string', 'integer', 'number', 'boolean']
  const arbProp: fc.Arbitrary<Prop> = fc.oneof(
    fc.constantFrom(...TYPES).map((type) => ({ type })),
    fc.subarray(['x', 'y', 'z'], { minLength: 1 }).map((e) => ({ type: 'string', enum: e })),
  )
  const arbSchema: fc.Arbitrary<Flat> = fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...NAMES), arbProp, { minKeys: 1 }),
      closed: fc.boolean(),
      req: fc.subarray(NAMES),
    })
    .map(({ properties, closed, req }) => ({
      type: 'object' as const,
      properties,
      required: req.filter((n) => n in properties),
      ...(closed ? { additionalProperties: false as const } : {}),
    }))
  const mutations: fc.Arbitrary<(s: Flat) => void> = fc.oneof(
    fc.tuple(fc.constantFrom(...NAMES, 'e'), arbProp).map(
      ([n, p]) =>
        (s: Flat) =>
          void (s.properties[n] = p),
    ),
    fc.constantFrom(...NAMES).map((n) => (s: Flat) => void delete s.properties[n]),
    fc.constantFrom(...NAMES, 'e').map((n) => (s: Flat) => void (s.required.includes(n) || s.required.push(n))),
    fc.constant((s: Flat) => void (s.required = [])),
    fc.constant((s: Flat) => void (s.additionalProperties = false)),
    fc.constant((s: Flat) => void delete s.additionalProperties),
    fc.constantFrom(...NAMES).map((n) => (s: Flat) => {
      const p = s.properties[n]
      if (p?.enum) p.enum = p.enum.length > 1 ? p.enum.slice(1) : [...p.enum, 'q']
    }),
  )
  const value = (p: Prop): fc.Arbitrary<unknown> =>
    p.enum
      ? fc.constantFrom(...p.enum)
      : p.type === 'string'
        ? fc.string({ maxLength: 3 })
        : p.type === 'integer'
          ? fc.integer()
          : p.type === 'number'
            ? fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
            : fc.boolean()
  const claimsFor = (s: Flat): fc.Arbitrary<Record<string, unknown>> => {
    const entries = Object.entries(s.properties).map(([n, p]) =>
      s.required.includes(n) ? value(p).map((v) => [[n, v]]) : fc.option(value(p)).map((v) => (v === null ? [] : [[n, v]])),
    )
    const extra =
      s.additionalProperties === false
        ? fc.constant([])
        : fc.option(fc.jsonValue({ maxDepth: 2 })).map((v) => (v === null ? [] : [['undeclared', v]]))
    return fc.tuple(...entries, extra).map((parts) => Object.fromEntries(parts.flat() as [string, unknown][]))
  }

  it('non-breaking changes keep every old-valid claims object valid', () => {
    fc.assert(
      fc.property(
        arbSchema.chain((s) => fc.tuple(fc.constant(s), fc.array(mutations, { minLength: 1, maxLength: 3 }), claimsFor(s))),
        ([old, muts, claims]) => {
          const next = structuredClone(old)
          for (const m of muts) m(next)
          expect(validateClaims(old, claims).valid).toBe(true)
          if (classifySchemaChange(old, next).kind !== 'breaking') expect(validateClaims(next, claims).valid).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
