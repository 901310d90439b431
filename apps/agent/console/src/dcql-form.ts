/**
 * A form over DCQL (OpenID4VP 1.0 §6): credential queries with format, type, claims (one path per line,
 * segments separated by '/'), `multiple`, optional; optional queries become a credential set with
 * `required: false`. The form writes the query into a JSON text area, which the user may also edit or paste.
 */
import { button, field, h, put } from './dom.js'

interface QueryRow {
  el: HTMLElement
  read(): { query: Record<string, unknown>; optional: boolean }
}

function queryRow(n: number, onChange: () => void, remove: (r: QueryRow) => void): QueryRow {
  const id = h('input', { value: `q${n}`, pattern: '[A-Za-z0-9_-]+', required: true })
  const format = h(
    'select',
    null,
    ['dc+sd-jwt', 'mso_mdoc', 'jwt_vc_json'].map((f) => h('option', { value: f }, f)),
  )
  const type = h('input', { value: 'urn:eudi:pid:1' })
  const claims = h('textarea', { rows: '3', class: 'mono' }, 'given_name\nfamily_name')
  const multiple = h('input', { type: 'checkbox' })
  const optional = h('input', { type: 'checkbox' })
  const check = (c: HTMLInputElement, label: string) =>
    h('span', { class: 'field check' }, c, h('label', { for: (c.id = `${label}-${n}`) }, label))
  const row: QueryRow = {
    el: h(
      'fieldset',
      { class: 'query', oninput: onChange, onchange: onChange },
      h('legend', null, `Credential query ${n}`),
      field('Query id', id),
      field('Format', format),
      field('Type (vct, doctype or VC type)', type),
      field('Claims', claims, "One path per line, segments separated by '/' (mdoc: namespace/element)"),
      check(multiple, 'multiple'),
      check(optional, 'optional'),
      button('Remove', () => remove(row), { class: 'small' }),
    ),
    read() {
      const f = format.value
      const meta =
        f === 'dc+sd-jwt'
          ? { vct_values: [type.value] }
          : f === 'mso_mdoc'
            ? { doctype_value: type.value }
            : { type_values: [['VerifiableCredential', type.value]] }
      const paths = claims.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => ({ path: l.split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s === '*' ? null : s)) }))
      return {
        query: {
          id: id.value,
          format: f,
          meta,
          ...(paths.length ? { claims: paths } : {}),
          ...(multiple.checked ? { multiple: true } : {}),
        },
        optional: optional.checked,
      }
    },
  }
  return row
}

export function dcqlForm(target: HTMLTextAreaElement): HTMLElement {
  const rows: QueryRow[] = []
  const list = h('div')
  const sync = () => {
    const read = rows.map((r) => r.read())
    const dcql: Record<string, unknown> = { credentials: read.map((r) => r.query) }
    const optional = read.filter((r) => r.optional).map((r) => r.query.id)
    const required = read.filter((r) => !r.optional).map((r) => r.query.id)
    if (optional.length)
      dcql.credential_sets = [
        ...(required.length ? [{ options: [required] }] : []),
        ...optional.map((id) => ({ options: [[id]], required: false })),
      ]
    target.value = JSON.stringify(dcql, null, 2)
  }
  const remove = (r: QueryRow) => {
    rows.splice(rows.indexOf(r), 1)
    put(
      list,
      rows.map((x) => x.el),
    )
    sync()
  }
  const add = () => {
    rows.push(queryRow(rows.length + 1, sync, remove))
    put(
      list,
      rows.map((x) => x.el),
    )
    sync()
  }
  return h(
    'details',
    { class: 'builder' },
    h('summary', null, 'Build a query with a form'),
    list,
    button('Add a credential query', add),
  )
}
