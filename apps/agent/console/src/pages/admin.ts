/** Schemas, keys and trust, webhooks, API keys: list and manage. */
import { api } from '../api.js'
import { badge, button, empty, field, h, json, put, time } from '../dom.js'
import { act, copyButton, messages, type Page, section, table } from '../ui.js'

type Row = Record<string, unknown>
const s = (v: unknown) => (v === null || v === undefined ? '—' : String(v))
const del = (path: string, msg: HTMLElement, then: () => unknown, label: string) =>
  button(
    'Delete',
    () =>
      act(msg, async () => {
        if (confirm(`${label}?`)) {
          await api(path, undefined, 'DELETE')
          await then()
        }
      }),
    { class: 'small danger', 'aria-label': label },
  )

export function renderAdmin(which: 'schemas' | 'keys' | 'webhooks' | 'api-keys'): Page {
  return (root) => ({ schemas, keys, webhooks, 'api-keys': apiKeys })[which](root)
}

async function schemas(root: HTMLElement): Promise<void> {
  const list = h('div')
  const name = h('input', { name: 'name', required: true })
  const version = h('input', { name: 'version', value: '1.0.0', required: true })
  const author = h('input', { name: 'author', value: 'did:web:example.com', required: true })
  const body = h(
    'textarea',
    { rows: '10', class: 'mono', name: 'schema' },
    JSON.stringify(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { name: { type: 'string', title: 'Name' } },
        required: ['name'],
      },
      null,
      2,
    ),
  )
  const msg = messages()
  const load = async () => {
    const items = (await api<{ items: Row[] }>('/v1/schemas')).items
    put(
      list,
      items.length
        ? table(items, {
            Name: (r) => s(r.name),
            Version: (r) => s(r.version),
            Tags: (r) => s((r.tags as string[] | undefined)?.join(', ')),
            Id: (r) => h('code', null, s(r.id)),
            Schema: (r) => h('details', null, h('summary', null, 'JSON Schema'), json(r.schema)),
          })
        : empty('No schemas registered.'),
    )
  }
  const add = button('Register', () =>
    act(
      msg,
      async () => {
        await api('/v1/schemas', {
          name: name.value,
          version: version.value,
          author: author.value,
          schema: JSON.parse(body.value),
        })
        await load()
      },
      add,
    ),
  )
  put(
    root,
    section('Schema versions', list),
    section(
      'Register a schema version',
      h('div', { class: 'row' }, field('Name', name), field('Version (semver)', version), field('Author', author)),
      field('JSON Schema', body),
      add,
      msg,
    ),
  )
  await load()
}

async function keys(root: HTMLElement): Promise<void> {
  const list = h('div')
  const trust = h('div')
  const msg = messages()
  const load = async () => {
    const items = (await api<{ items: Row[] }>('/v1/keys')).items
    put(
      list,
      items.length
        ? table(items, {
            Key: (r) => h('code', null, s(r.id).slice(0, 16)),
            State: (r) => badge(r.retiredAt ? 'retired' : 'active'),
            Created: (r) => time(r.createdAt as number),
            JWK: (r) => h('details', null, h('summary', null, 'public JWK'), json(r.publicJwk)),
          })
        : empty('No keys.'),
    )
    const t = (await api<{ items: Row[] }>('/v1/trust')).items
    put(
      trust,
      t.length
        ? table(t, {
            Kind: (r) => s(r.kind),
            Label: (r) => s(r.label),
            Value: (r) => h('code', { class: 'clip' }, s(r.value).slice(0, 60)),
            Added: (r) => time(r.createdAt as number),
            '': (r) => del(`/v1/trust/${r.id}`, msg, load, `Stop trusting ${s(r.label ?? r.id)}`),
          })
        : empty('Only the agent’s own root is trusted.'),
    )
  }
  const rotate = button('Rotate the issuer key', () =>
    act(
      msg,
      async () => {
        await api('/v1/keys/rotate', {})
        await load()
      },
      rotate,
    ),
  )
  const kind = h(
    'select',
    { name: 'kind' },
    ['x509_root', 'issuer_key', 'did', 'verifier_root', 'wallet_provider'].map((k) => h('option', { value: k }, k)),
  )
  const value = h('textarea', {
    rows: '5',
    class: 'mono',
    name: 'value',
    placeholder: '-----BEGIN CERTIFICATE----- … or a JWK or a DID',
  })
  const label = h('input', { name: 'label' })
  const add = button('Trust', () =>
    act(
      msg,
      async () => {
        await api('/v1/trust', { kind: kind.value, value: value.value.trim(), ...(label.value ? { label: label.value } : {}) })
        value.value = ''
        await load()
      },
      add,
    ),
  )
  put(
    root,
    section('Signing keys', list, rotate),
    section(
      'Trust list',
      trust,
      h('div', { class: 'row' }, field('Kind', kind), field('Label', label)),
      field('Value', value),
      add,
    ),
    msg,
  )
  await load()
}

async function webhooks(root: HTMLElement): Promise<void> {
  const list = h('div')
  const deliveries = h('div')
  const url = h('input', { name: 'url', type: 'url', placeholder: 'https://example.com/hooks', required: true })
  const types = h('input', { name: 'eventTypes', value: '*' })
  const msg = messages()
  const load = async () => {
    const items = (await api<{ items: Row[] }>('/v1/webhooks')).items
    put(
      list,
      items.length
        ? table(items, {
            URL: (r) => s(r.url),
            Events: (r) => s((r.eventTypes as string[]).join(', ')),
            Created: (r) => time(r.createdAt as number),
            Deliveries: (r) =>
              button(
                'Show',
                () =>
                  act(msg, async () => {
                    const d = (await api<{ items: Row[] }>(`/v1/webhooks/${r.id}/deliveries`)).items
                    put(
                      deliveries,
                      d.length
                        ? table(d, {
                            Event: (x) => s(x.eventType),
                            State: (x) => badge(s(x.state)),
                            Attempts: (x) => s((x.attempts as unknown[] | undefined)?.length ?? x.attemptCount),
                            '': (x) =>
                              button(
                                'Redeliver',
                                () =>
                                  act(msg, async () => {
                                    await api(`/v1/webhook-deliveries/${x.id}/redeliver`, {})
                                  }),
                                { class: 'small' },
                              ),
                          })
                        : empty('No deliveries yet.'),
                    )
                  }),
                { class: 'small' },
              ),
            '': (r) => del(`/v1/webhooks/${r.id}`, msg, load, `Delete the webhook to ${s(r.url)}`),
          })
        : empty('No webhooks.'),
    )
  }
  const secret = h('div')
  const add = button('Subscribe', () =>
    act(
      msg,
      async () => {
        const r = await api<{ secret: string }>('/v1/webhooks', {
          url: url.value,
          eventTypes: types.value
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        })
        put(
          secret,
          h('p', { role: 'status' }, 'Signing secret (shown once): ', h('code', null, r.secret), ' ', copyButton(r.secret)),
        )
        await load()
      },
      add,
    ),
  )
  put(
    root,
    section('Subscriptions', list, deliveries),
    section(
      'New subscription',
      field('URL', url),
      field('Event types', types, 'Comma-separated, or * for all'),
      add,
      secret,
      msg,
    ),
  )
  await load()
}

async function apiKeys(root: HTMLElement): Promise<void> {
  const list = h('div')
  const name = h('input', { name: 'name', required: true })
  const scopes = ['admin', 'issuer', 'verifier', 'holder', 'registry'].map((sc) => {
    const c = h('input', { type: 'checkbox', value: sc, id: `scope-${sc}` })
    return { c, el: h('span', { class: 'field check' }, c, h('label', { for: c.id }, sc)) }
  })
  const msg = messages()
  const shown = h('div')
  const load = async () => {
    const items = (await api<{ items: Row[] }>('/v1/api-keys')).items
    put(
      list,
      items.length
        ? table(items, {
            Name: (r) => s(r.name),
            Scopes: (r) => s((r.scopes as string[]).join(', ')),
            Prefix: (r) => h('code', null, s(r.prefix ?? r.id)),
            Created: (r) => time(r.createdAt as number),
            Revoked: (r) => time(r.revokedAt as number | null),
            '': (r) => (r.revokedAt ? '' : del(`/v1/api-keys/${r.id}`, msg, load, `Revoke the key ${s(r.name)}`)),
          })
        : empty('Only the key from the environment exists.'),
    )
  }
  const add = button('Create key', () =>
    act(
      msg,
      async () => {
        const r = await api<{ key: string }>('/v1/api-keys', {
          name: name.value,
          scopes: scopes.filter((x) => x.c.checked).map((x) => x.c.value),
        })
        put(shown, h('p', { role: 'status' }, 'The key (shown once): ', h('code', null, r.key), ' ', copyButton(r.key)))
        await load()
      },
      add,
    ),
  )
  put(
    root,
    section('API keys', list),
    section(
      'New API key',
      field('Name', name),
      h(
        'fieldset',
        null,
        h('legend', null, 'Scopes'),
        scopes.map((x) => x.el),
      ),
      add,
      shown,
      msg,
    ),
  )
  await load()
}
