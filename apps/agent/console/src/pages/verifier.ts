/** Verifier: a DCQL request (form, preset or pasted JSON) → QR and link → the live result → accept or reject. */
import { api, stream } from '../api.js'
import { dcqlForm } from '../dcql-form.js'
import { badge, button, empty, field, h, json, put, svgImage, time } from '../dom.js'
import { DCQL_PRESETS } from '../samples.js'
import { act, copyButton, messages, section, table } from '../ui.js'

interface Check {
  check: string
  outcome: string
  code?: string
  detail?: string
}
interface QueryResult {
  queryId?: string
  format?: string
  valid: boolean
  checks: Check[]
  claims: Record<string, unknown>[]
  overDisclosed?: unknown[]
  error?: { code: string; message?: string } | null
}
interface Session {
  id: string
  state: string
  valid: boolean | null
  request: string
  qrSvg?: string
  error: { code?: string; message?: string } | null
  credentials: QueryResult[]
  decision: { outcome?: string; reason?: string; by?: string } | null
  unsatisfiedSets: unknown[]
  createdAt: number
}

const FINAL = new Set(['verified', 'verification_failed', 'accepted', 'rejected', 'expired'])

export async function renderVerifier(root: HTMLElement, signal: AbortSignal): Promise<void> {
  const text = h('textarea', { rows: '12', class: 'mono', name: 'dcql', 'aria-label': 'DCQL query (JSON)' })
  text.value = JSON.stringify(DCQL_PRESETS['PID + mDL'], null, 2)
  const presets = h(
    'div',
    { class: 'presets', role: 'group', 'aria-label': 'Presets' },
    Object.entries(DCQL_PRESETS).map(([name, q]) =>
      button(
        name,
        () => {
          text.value = JSON.stringify(q, null, 2)
        },
        { class: 'small' },
      ),
    ),
  )
  const mode = h(
    'select',
    { name: 'responseMode' },
    h('option', { value: 'direct_post' }, 'direct_post'),
    h('option', { value: 'direct_post.jwt' }, 'direct_post.jwt (encrypted)'),
  )
  const prefix = h(
    'select',
    { name: 'clientIdPrefix' },
    ['x509_hash', 'x509_san_dns', 'redirect_uri'].map((p) => h('option', { value: p }, p)),
  )
  const minAge = h('input', { type: 'number', min: '1', max: '150', name: 'minimumAge' })
  const td = h('textarea', {
    rows: '3',
    class: 'mono',
    name: 'transactionData',
    placeholder: '[{"type":"…","credential_ids":["pid"]}]',
  })
  const msg = messages()
  const out = h('div')
  const start = button('Create request', () =>
    act(
      msg,
      async () => {
        const body: Record<string, unknown> = {
          dcql: JSON.parse(text.value),
          responseMode: mode.value,
          clientIdPrefix: prefix.value,
        }
        if (minAge.value) body.policy = { minimumAge: Number(minAge.value) }
        if (td.value.trim()) body.transactionData = JSON.parse(td.value)
        const s = await api<Session>('/v1/presentation-sessions', body)
        follow(out, s, signal)
      },
      start,
    ),
  )
  const recent = h('div')
  put(
    root,
    section(
      'New request',
      presets,
      dcqlForm(text),
      field('DCQL query (JSON)', text, 'Edit freely or paste; the form above writes here'),
      h(
        'div',
        { class: 'row' },
        field('Response mode', mode),
        field('Client id prefix', prefix),
        field('Minimum age (policy)', minAge),
      ),
      field('Transaction data (optional JSON array)', td),
      start,
      msg,
    ),
    out,
    section('Recent sessions', recent),
  )
  const loadRecent = async () => {
    const list = await api<{ items: Session[] }>('/v1/presentation-sessions?limit=10')
    put(
      recent,
      list.items.length
        ? table(list.items, {
            Session: (s) => button(s.id.slice(0, 10), () => follow(out, s, signal), { class: 'link' }),
            State: (s) => badge(s.state),
            Created: (s) => time(s.createdAt),
          })
        : empty('No verification sessions yet.'),
    )
  }
  await loadRecent()
}

/** Show a session's QR and follow it live until a final state, then its report and the decision buttons. */
function follow(where: HTMLElement, s: Session, signal: AbortSignal): void {
  const state = h('p', { 'data-testid': 'presentation-state' }, badge(s.state))
  const report = h('div', { 'data-testid': 'report' })
  put(
    where,
    section(
      `Session ${s.id}`,
      h(
        'div',
        { class: 'offer' },
        s.qrSvg ? svgImage(s.qrSvg, 'QR code of the presentation request') : null,
        h(
          'div',
          null,
          field('Request link', h('input', { readonly: true, value: s.request, class: 'mono', 'data-testid': 'request-link' })),
          copyButton(s.request),
          ' ',
          h('a', { href: `#/wallet?request=${encodeURIComponent(s.request)}`, class: 'button' }, 'Answer with the web wallet'),
        ),
      ),
      state,
      report,
    ),
  )
  const local = new AbortController()
  signal.addEventListener('abort', () => local.abort())
  const refresh = async () => {
    const full = await api<Session>(`/v1/presentation-sessions/${encodeURIComponent(s.id)}`)
    put(
      state,
      badge(full.state),
      full.valid === null ? '' : full.valid ? ' — the presentation is valid' : ' — the presentation is invalid',
    )
    if (FINAL.has(full.state)) put(report, renderReport(full, refresh))
    if (
      full.state === 'accepted' ||
      full.state === 'rejected' ||
      full.state === 'expired' ||
      full.state === 'verification_failed'
    )
      local.abort()
  }
  void stream(`/v1/presentation-sessions/${encodeURIComponent(s.id)}/events`, () => void refresh(), local.signal)
  void refresh()
}

function renderReport(s: Session, refresh: () => Promise<void>): HTMLElement {
  const msg = messages()
  const reason = h('input', { name: 'reason', placeholder: 'Reason (shown in the log)' })
  const decide = s.state === 'verified'
  return h(
    'div',
    { class: 'report' },
    h(
      'p',
      { class: s.valid ? 'verdict ok' : 'verdict bad', 'data-testid': 'verdict' },
      s.valid ? 'Atomic verdict: every query verified' : `Atomic verdict: rejected${s.error?.code ? ` (${s.error.code})` : ''}`,
    ),
    s.error?.message ? h('p', null, s.error.message) : null,
    s.decision
      ? h(
          'p',
          { 'data-testid': 'decision' },
          `Decision: ${s.decision.outcome ?? s.state}${s.decision.reason ? ` — ${s.decision.reason}` : ''}`,
        )
      : null,
    s.credentials.map((q) => queryCard(q)),
    decide
      ? h(
          'div',
          { class: 'row' },
          button('Accept', () =>
            act(msg, async () => {
              await api(`/v1/presentation-sessions/${encodeURIComponent(s.id)}/accept`, {})
              await refresh()
            }),
          ),
          field('Reason', reason),
          button('Reject', () =>
            act(msg, async () => {
              await api(`/v1/presentation-sessions/${encodeURIComponent(s.id)}/reject`, {
                reason: reason.value || 'rejected by the operator',
              })
              await refresh()
            }),
          ),
        )
      : null,
    msg,
  )
}

function queryCard(q: QueryResult): HTMLElement {
  const shown = q.claims.map((c) =>
    Object.fromEntries(Object.entries(c).filter(([k]) => !['cnf', 'status', '_sd', '_sd_alg'].includes(k))),
  )
  return h(
    'article',
    { class: 'query-result', 'data-testid': `query-${q.queryId ?? ''}` },
    h('h3', null, `${q.queryId ?? 'query'} · ${q.format ?? ''} `, badge(q.valid ? 'passed' : 'failed')),
    h(
      'ul',
      { class: 'checks' },
      q.checks.map((c) =>
        h(
          'li',
          { class: `check ${c.outcome}` },
          h('span', { 'aria-hidden': 'true' }, c.outcome === 'passed' ? '✓ ' : c.outcome === 'failed' ? '✗ ' : '– '),
          `${c.check}: ${c.outcome.replace(/_/g, ' ')}`,
          c.code ? h('code', null, ` ${c.code}`) : null,
          c.detail ? ` (${c.detail})` : null,
        ),
      ),
    ),
    shown.length
      ? h('details', { open: true }, h('summary', null, 'Disclosed claims'), json(shown.length === 1 ? shown[0] : shown))
      : null,
    q.overDisclosed?.some((x) => (x as unknown[]).length)
      ? h('p', { class: 'warn' }, `Over-disclosed: ${JSON.stringify(q.overDisclosed)}`)
      : null,
  )
}
