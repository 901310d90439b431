/** Issuer: configurations, an offer from a schema-generated form, the live session, issued credentials. */
import { api, stream } from '../api.js'
import { badge, button, empty, field, h, put, svgImage, time } from '../dom.js'
import { SAMPLE_CLAIMS } from '../samples.js'
import { type SchemaForm, schemaForm } from '../schema-form.js'
import { publishedStatus } from '../status-list.js'
import { act, copyButton, messages, section, table } from '../ui.js'

interface Config {
  id: string
  format: string
  schemaId: string | null
  batchSize: number
  statusList: string
  metadata: { credential_metadata?: { display?: { name: string }[] }; vct?: string; doctype?: string }
}
interface Schema {
  id: string
  name: string
  version: string
  schema: Record<string, unknown>
}
interface Issued {
  id: string
  configurationId: string
  batchId: string
  statusListId: string | null
  statusIndex: number | null
  status: string
  issuedAt: number
}

const nameOf = (c: Config) => c.metadata.credential_metadata?.display?.[0]?.name ?? c.id

export async function renderIssuer(root: HTMLElement, signal: AbortSignal): Promise<void> {
  const configs = (await api<{ items: Config[] }>('/v1/credential-configurations')).items
  const schemas = (await api<{ items: Schema[] }>('/v1/schemas')).items
  const offerArea = h('div')
  const live = h('div', { class: 'live' })
  const issued = h('div')
  const select = h(
    'select',
    { name: 'configuration' },
    configs.map((c) => h('option', { value: c.id }, `${nameOf(c)} (${c.id}, ${c.format})`)),
  )
  const claimsArea = h('div')
  let form: SchemaForm | undefined
  let raw: HTMLTextAreaElement | undefined
  const showForm = () => {
    const c = configs.find((x) => x.id === select.value)
    const schema = schemas.find((s) => s.id === c?.schemaId)
    const sample = SAMPLE_CLAIMS[select.value] ?? {}
    form = schema ? schemaForm(schema.schema, sample) : undefined
    raw = schema ? undefined : h('textarea', { rows: '10', class: 'mono', name: 'claims' }, JSON.stringify(sample, null, 2))
    put(
      claimsArea,
      schema
        ? h('p', { class: 'muted' }, `Form generated from schema ${schema.name} ${schema.version}`)
        : h('p', { class: 'muted' }, 'No JSON Schema for this configuration: claims as JSON.'),
      form?.el ?? (raw ? field('Claims (JSON)', raw) : null),
    )
  }
  select.addEventListener('change', showForm)
  showForm()
  const msg = messages()
  const txCode = h('input', { type: 'checkbox', name: 'txCode' })
  const create = button('Create offer', () =>
    act(
      msg,
      async () => {
        const claims = form ? form.read() : (JSON.parse(raw?.value || '{}') as Record<string, unknown>)
        const o = await api<{ sessionId: string; offer: string; qrSvg: string; txCode?: string }>('/v1/offers', {
          configurationIds: [select.value],
          claims,
          txCode: txCode.checked,
        })
        showOffer(offerArea, o)
        watch(live, o.sessionId, signal, () => loadIssued(issued))
      },
      create,
    ),
  )
  put(
    root,
    section(
      'New offer',
      field('Credential configuration', select),
      claimsArea,
      h('div', { class: 'field check' }, txCode, h('label', { for: (txCode.id = 'txc') }, 'Require a transaction code')),
      create,
      msg,
      offerArea,
      live,
    ),
    section('Issued credentials', issued),
    newConfiguration(schemas, () => renderIssuer(root, signal)),
  )
  await loadIssued(issued)
}

function showOffer(where: HTMLElement, o: { offer: string; qrSvg: string; sessionId: string; txCode?: string }): void {
  put(
    where,
    h(
      'div',
      { class: 'offer' },
      svgImage(o.qrSvg, 'QR code of the credential offer'),
      h(
        'div',
        null,
        field('Offer link', h('input', { readonly: true, value: o.offer, class: 'mono', 'data-testid': 'offer-link' })),
        copyButton(o.offer),
        ' ',
        h('a', { href: `#/wallet?offer=${encodeURIComponent(o.offer)}`, class: 'button' }, 'Open in the web wallet'),
        o.txCode ? h('p', null, 'Transaction code: ', h('code', null, o.txCode)) : null,
      ),
    ),
  )
}

/** The issuance session live: its events as they happen and the "n of m issued" progress. */
function watch(where: HTMLElement, id: string, signal: AbortSignal, onIssued: () => void): void {
  const steps = h('ol', { class: 'timeline', 'aria-live': 'polite' })
  const state = h('p', { 'data-testid': 'issuance-state' }, badge('offered'))
  put(where, h('h3', null, `Session ${id}`), state, steps)
  const local = new AbortController()
  signal.addEventListener('abort', () => local.abort())
  void stream(
    `/v1/issuance-sessions/${encodeURIComponent(id)}/events`,
    async (e) => {
      steps.append(h('li', null, h('code', null, e.event), ' ', time(Number(e.data.createdAt ?? e.data.at ?? Date.now()))))
      const s = await api<{ state: string; issued: number; expected: number }>(`/v1/issuance-sessions/${encodeURIComponent(id)}`)
      put(state, badge(s.state), ` ${s.issued} of ${s.expected} credential requests served`)
      if (e.event === 'issuance.credentials_issued') onIssued()
    },
    local.signal,
  )
}

async function loadIssued(where: HTMLElement, after?: string): Promise<void> {
  const page = await api<{ items: Issued[]; next: string | null }>(`/v1/credentials?limit=25${after ? `&after=${after}` : ''}`)
  const msg = messages()
  const status = h('div')
  const action = (kind: 'credentials' | 'batches', id: string, verb: string) =>
    button(
      verb,
      () =>
        act(msg, async () => {
          await api(`/v1/${kind}/${encodeURIComponent(id)}/${verb}`, {})
          await loadIssued(where)
        }),
      { class: 'small', 'aria-label': `${verb} ${kind === 'batches' ? 'batch' : 'credential'} ${id}` },
    )
  if (!page.items.length && !after)
    return put(where, empty('No credentials issued yet. Create an offer and receive it in the wallet.'))
  put(
    where,
    msg,
    table(page.items, {
      Credential: (r) => h('code', null, r.id),
      Configuration: (r) => r.configurationId,
      Status: (r) => h('span', { 'data-testid': `status-${r.id}` }, badge(r.status)),
      'List index': (r) =>
        r.statusListId
          ? button(
              `${r.statusIndex}`,
              () => act(msg, async () => put(status, await publishedStatus(r.statusListId as string, r.statusIndex as number))),
              { class: 'link', title: 'Read this index from the published status list' },
            )
          : '—',
      Issued: (r) => time(r.issuedAt),
      Credential_: (r) =>
        h(
          'span',
          null,
          action('credentials', r.id, 'revoke'),
          action('credentials', r.id, 'suspend'),
          action('credentials', r.id, 'reinstate'),
        ),
      Batch: (r) =>
        h(
          'span',
          null,
          h('code', null, r.batchId.slice(0, 8)),
          ' ',
          action('batches', r.batchId, 'revoke'),
          action('batches', r.batchId, 'suspend'),
          action('batches', r.batchId, 'reinstate'),
          button(
            'audit',
            () => act(msg, async () => put(status, auditView(await api(`/v1/batches/${encodeURIComponent(r.batchId)}/audit`)))),
            {
              class: 'small',
              'aria-label': `audit batch ${r.batchId}`,
            },
          ),
        ),
    }),
    status,
    page.next ? button('Older…', () => loadIssued(where, page.next as string)) : null,
  )
}

function newConfiguration(schemas: Schema[], done: () => void): HTMLElement {
  const id = h('input', { name: 'id', required: true, pattern: '[A-Za-z0-9_.\\-]{1,64}' })
  const format = h(
    'select',
    { name: 'format' },
    ['dc+sd-jwt', 'mso_mdoc', 'jwt_vc_json'].map((f) => h('option', { value: f }, f)),
  )
  const type = h('input', { name: 'type', required: true })
  const schema = h(
    'select',
    { name: 'schemaId' },
    h('option', { value: '' }, 'none'),
    schemas.map((s) => h('option', { value: s.id }, `${s.name} ${s.version}`)),
  )
  const batch = h('input', { type: 'number', min: '1', max: '100', value: '10', name: 'batchSize' })
  const msg = messages()
  const submit = button('Create configuration', () =>
    act(
      msg,
      async () => {
        const f = format.value
        await api('/v1/credential-configurations', {
          id: id.value,
          format: f,
          ...(f === 'dc+sd-jwt'
            ? { vct: type.value }
            : f === 'mso_mdoc'
              ? { doctype: type.value }
              : { type: ['VerifiableCredential', type.value] }),
          ...(schema.value ? { schemaId: schema.value } : {}),
          batchSize: Number(batch.value),
        })
        done()
      },
      submit,
    ),
  )
  return h(
    'details',
    { class: 'card' },
    h('summary', null, 'New credential configuration'),
    field('Identifier', id),
    field('Format', format),
    field('Type (vct, doctype or VC type)', type),
    field('Schema', schema),
    field('Batch size', batch, 'Copies per issuance (OpenID4VCI batch_size), 1–100'),
    submit,
    msg,
  )
}

/** The unlinkability audit of a batch (from its records), as a verdict and its findings. */
function auditView(r: Record<string, unknown>): HTMLElement {
  const findings = (r.findings ?? []) as { severity: string; field: string; evidence: string }[]
  return h(
    'div',
    { 'data-testid': 'batch-audit' },
    h('p', null, `Batch ${String(r.batchId)} (${String(r.copies)} copies): `, badge(String(r.verdict))),
    findings.length
      ? h(
          'ul',
          null,
          findings.map((f) => h('li', null, `${f.severity} · ${f.field}: ${f.evidence}`)),
        )
      : h('p', { class: 'muted' }, 'Nothing in the records links the copies.'),
  )
}
