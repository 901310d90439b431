/**
 * A form generated from a JSON Schema (the registry's): strings (with date formats, enums, patterns), numbers,
 * integers, booleans, arrays of scalars (one per line) and nested objects. `read()` returns the claims, leaving
 * out empty optional fields; the agent validates them again against the schema.
 */
import { field, h } from './dom.js'

type Schema = Record<string, unknown>

export interface SchemaForm {
  el: HTMLElement
  read(): Record<string, unknown>
}

export function schemaForm(schema: Schema, sample: Record<string, unknown> = {}): SchemaForm {
  const f = objectFields(schema, sample, '')
  return { el: h('div', { class: 'schema-form' }, f.el), read: (): Record<string, unknown> => f.read() ?? {} }
}

interface Part {
  el: HTMLElement
  read(): unknown
}

function objectFields(
  schema: Schema,
  sample: Record<string, unknown>,
  prefix: string,
): { el: HTMLElement; read(): Record<string, unknown> | undefined } {
  const props = (schema.properties ?? {}) as Record<string, Schema>
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  const parts = Object.entries(props).map(([name, s]) => {
    const p = partFor(name, s, sample[name], required.has(name), `${prefix}${name}`)
    return { name, p }
  })
  return {
    el: h(
      'div',
      { class: 'fields' },
      parts.map((x) => x.p.el),
    ),
    read() {
      const out: Record<string, unknown> = {}
      for (const { name, p } of parts) {
        const v = p.read()
        if (v !== undefined) out[name] = v
      }
      return Object.keys(out).length ? out : undefined
    },
  }
}

function partFor(name: string, s: Schema, sample: unknown, required: boolean, path: string): Part {
  const label = `${String(s.title ?? name)}${required ? ' *' : ''}`
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  if (type === 'object') {
    const inner = objectFields(s, (sample ?? {}) as Record<string, unknown>, `${path}.`)
    return { el: h('fieldset', null, h('legend', null, label), inner.el), read: () => inner.read() }
  }
  if (type === 'boolean') {
    const c = h('input', { type: 'checkbox', name: path, checked: sample === true })
    const touched = { v: sample !== undefined }
    c.addEventListener('change', () => {
      touched.v = true
    })
    return {
      el: h('div', { class: 'field check' }, c, h('label', { for: (c.id = `f-${path}`) }, label)),
      read: () => (touched.v || required ? c.checked : undefined),
    }
  }
  if (Array.isArray(s.enum)) {
    const sel = h(
      'select',
      { name: path, required },
      h('option', { value: '' }, '—'),
      (s.enum as unknown[]).map((v) => h('option', { value: String(v) }, String(v))),
    )
    if (sample !== undefined) sel.value = String(sample)
    return { el: field(label, sel), read: () => (sel.value === '' ? undefined : sel.value) }
  }
  if (type === 'array') {
    const items = (s.items ?? {}) as Schema
    const ta = h('textarea', { name: path, rows: '2', required }, Array.isArray(sample) ? sample.join('\n') : '')
    const num = items.type === 'integer' || items.type === 'number'
    return {
      el: field(label, ta, `One ${String(items.type ?? 'value')} per line${items.pattern ? ` (${String(items.pattern)})` : ''}`),
      read: () => {
        const lines = ta.value
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
        return lines.length ? lines.map((l) => (num ? Number(l) : l)) : undefined
      },
    }
  }
  const input = h('input', { name: path, required })
  if (type === 'integer' || type === 'number') {
    input.type = 'number'
    if (type === 'integer') input.step = '1'
    if (typeof s.minimum === 'number') input.min = String(s.minimum)
    if (typeof s.maximum === 'number') input.max = String(s.maximum)
  } else if (s.format === 'date') input.type = 'date'
  else if (s.format === 'date-time') input.type = 'datetime-local'
  else {
    if (typeof s.pattern === 'string') input.pattern = s.pattern
    if (typeof s.maxLength === 'number') input.maxLength = s.maxLength
  }
  if (sample !== undefined) input.value = String(sample)
  const hint =
    typeof s.pattern === 'string' ? `Pattern ${s.pattern}` : typeof s.description === 'string' ? s.description : undefined
  return {
    el: field(label, input, hint),
    read: () => {
      if (input.value === '') return undefined
      if (type === 'integer' || type === 'number') return Number(input.value)
      if (s.format === 'date-time') return new Date(input.value).toISOString()
      return input.value
    },
  }
}
