import { describe, expect, it } from 'vitest'
import { jsonDepth, parseJson } from './json.js'

describe('parseJson', () => {
  it('parses and bounds size', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 })
    expect(() => parseJson('x'.repeat(20), { maxLength: 10 })).toThrow(expect.objectContaining({ code: 'core.json_too_large' }))
    expect(() => parseJson('{')).toThrow(expect.objectContaining({ code: 'core.json_invalid' }))
  })
  it('__proto__ becomes an own property and pollutes nothing', () => {
    const v = parseJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>
    expect(Object.hasOwn(v, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it('measures depth iteratively', () => {
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000))
    expect(jsonDepth(deep, 100)).toBeGreaterThan(100)
    expect(jsonDepth({ a: [1, { b: 2 }] })).toBe(3)
  })
})
