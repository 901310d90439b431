/** Wallet: the agent's holder API in the browser — receive offers, pools as cards, consent to a request. */
import { api } from '../api.js'
import { badge, button, empty, field, h, json, put, time } from '../dom.js'
import { act, messages, section, table } from '../ui.js'

interface Pool {
  id: string
  name: string
  type: string
  format: string
  issuer: string
  unused: number
  low: boolean
  counts: Record<string, number>
  claims: Record<string, unknown>
  validUntil: number | null
}
interface Candidate {
  credentialId: string
  claims: { path: (string | number | null)[]; values?: unknown[] }[]
}
interface PlanQuery {
  queryId: string
  format: string
  multiple: boolean
  role: string
  candidates: Candidate[]
}
interface Plan {
  id: string
  verifier: { clientId: string; subject?: string; clientIdPrefix?: string }
  plan: { queries: PlanQuery[]; selection: Record<string, string[]>; satisfiable: boolean; transactionData: unknown[] }
}

const HIDDEN = new Set(['cnf', 'status', 'iat', 'exp', 'nbf', 'iss', 'vct', 'vct#integrity', '_sd', '_sd_alg'])

export async function renderWallet(root: HTMLElement, _signal: AbortSignal, params: URLSearchParams): Promise<void> {
  const pools = h('div', { 'data-testid': 'pools' })
  const consent = h('div')
  const log = h('div')
  const reload = async () => {
    await showPools(pools)
    await showLog(log)
  }
  put(
    root,
    receive(params.get('offer') ?? '', reload),
    section('Credentials', pools),
    answer(params.get('request') ?? '', consent, reload),
    consent,
    section('Presentation log', log),
  )
  await reload()
}

function receive(initial: string, done: () => Promise<void>): HTMLElement {
  const offer = h('textarea', { rows: '3', class: 'mono', name: 'offer', placeholder: 'openid-credential-offer://…' }, initial)
  const tx = h('input', { name: 'txCode', autocomplete: 'one-time-code' })
  const count = h('input', { type: 'number', min: '1', max: '100', value: '5', name: 'count' })
  const msg = messages()
  const go = button('Receive', () =>
    act(
      msg,
      async () => {
        const r = await api<{ pools: Pool[] }>('/v1/holder/offers', {
          offer: offer.value.trim(),
          count: Number(count.value),
          ...(tx.value ? { txCode: tx.value } : {}),
        })
        put(
          msg,
          h('p', { class: 'ok', role: 'status' }, `Received ${r.pools.map((p) => `${p.unused} copies of ${p.name}`).join(', ')}`),
        )
        offer.value = ''
        await done()
      },
      go,
    ),
  )
  return section(
    'Receive a credential offer',
    field('Offer link', offer),
    h(
      'div',
      { class: 'row' },
      field('Copies (batch)', count, 'Capped by the issuer’s batch_size'),
      field('Transaction code (if asked)', tx),
    ),
    go,
    msg,
  )
}

async function showPools(where: HTMLElement): Promise<void> {
  const items = (await api<{ items: Pool[] }>('/v1/holder/pools')).items
  if (!items.length) return put(where, empty('No credentials yet: receive an offer above.'))
  const msg = messages()
  put(
    where,
    msg,
    h(
      'div',
      { class: 'cards' },
      items.map((p) =>
        h(
          'article',
          { class: `cred-card${p.low ? ' low' : ''}`, 'data-testid': `pool-${p.type}` },
          h('h3', null, p.name),
          h('p', { class: 'muted' }, `${p.format} · ${p.type}`),
          h(
            'p',
            { class: 'count' },
            h('strong', { 'data-testid': 'unused' }, String(p.unused)),
            ' unused copies',
            p.low ? ' (low: a refill is due)' : '',
          ),
          h(
            'p',
            { class: 'muted' },
            Object.entries(p.counts)
              .filter(([k, n]) => n > 0 && k !== 'unused')
              .map(([k, n]) => `${n} ${k}`)
              .join(' · ') || 'none used yet',
          ),
          h(
            'details',
            null,
            h('summary', null, 'Claims'),
            json(Object.fromEntries(Object.entries(p.claims).filter(([k]) => !HIDDEN.has(k)))),
          ),
          h('p', { class: 'muted' }, `Issuer ${p.issuer}; valid until ${time(p.validUntil)}`),
          button(
            'Delete',
            () =>
              act(msg, async () => {
                if (confirm(`Delete ${p.name} and its copies?`)) {
                  await api(`/v1/holder/pools/${p.id}`, undefined, 'DELETE')
                  await showPools(where)
                }
              }),
            { class: 'small danger' },
          ),
        ),
      ),
    ),
  )
}

function answer(initial: string, consent: HTMLElement, done: () => Promise<void>): HTMLElement {
  const req = h('textarea', { rows: '3', class: 'mono', name: 'request', placeholder: 'openid4vp://…' }, initial)
  const msg = messages()
  const go = button('Open request', () =>
    act(
      msg,
      async () => {
        const plan = await api<Plan>('/v1/holder/requests', { request: req.value.trim() })
        const pools = (await api<{ items: Pool[] }>('/v1/holder/pools')).items
        put(consent, consentScreen(plan, pools, done))
        consent.querySelector('button')?.focus()
      },
      go,
    ),
  )
  const el = section('Answer a presentation request', field('Request link', req), go, msg)
  if (initial) queueMicrotask(() => go.click())
  return el
}

/** The consent screen: who asks, and per query which credential and which claims would be disclosed. */
function consentScreen(p: Plan, pools: Pool[], done: () => Promise<void>): HTMLElement {
  const choice = new Map<string, string[]>(Object.entries(p.plan.selection))
  const msg = messages()
  const nameOf = (id: string) => pools.find((x) => x.id === id)?.name ?? id
  const queries = p.plan.queries.map((q) =>
    h(
      'fieldset',
      { class: 'consent-query' },
      h('legend', null, `${q.queryId} (${q.format}, ${q.role})`),
      q.candidates.length === 0
        ? h('p', { class: 'warn' }, 'No credential in this wallet matches.')
        : q.candidates.map((c, i) => {
            const input = h('input', {
              type: q.multiple ? 'checkbox' : 'radio',
              name: `q-${q.queryId}`,
              value: c.credentialId,
              checked:
                (choice.get(q.queryId) ?? []).includes(c.credentialId) ||
                (i === 0 && !choice.has(q.queryId) && q.role === 'required'),
            })
            input.id = `c-${q.queryId}-${i}`
            input.addEventListener('change', () => {
              const boxes = [...document.querySelectorAll<HTMLInputElement>(`input[name="q-${q.queryId}"]`)]
              choice.set(
                q.queryId,
                boxes.filter((b) => b.checked).map((b) => b.value),
              )
            })
            return h(
              'div',
              { class: 'candidate' },
              input,
              h(
                'label',
                { for: input.id },
                h('strong', null, nameOf(c.credentialId)),
                h(
                  'ul',
                  null,
                  c.claims.map((cl) =>
                    h(
                      'li',
                      null,
                      `${cl.path.join(' / ')}${cl.values ? `: ${cl.values.map((v) => JSON.stringify(v)).join(', ')}` : ''}`,
                    ),
                  ),
                ),
              ),
            )
          }),
    ),
  )
  const share = button('Share', () =>
    act(
      msg,
      async () => {
        const r = await api<{ outcome: string; error: { code?: string; message?: string } | null }>(
          `/v1/holder/requests/${p.id}/respond`,
          { consent: true, selection: Object.fromEntries(choice) },
        )
        put(
          msg,
          h(
            'p',
            { role: 'status', 'data-testid': 'wallet-outcome' },
            'Verifier answered: ',
            badge(r.outcome),
            r.error?.code ? ` (${r.error.code})` : '',
          ),
        )
        share.disabled = true
        await done()
      },
      share,
    ),
  )
  return section(
    'Consent',
    h(
      'p',
      null,
      'Requested by ',
      h('strong', null, p.verifier.subject?.split('\n')[0] ?? p.verifier.clientId),
      h('br'),
      h('code', { class: 'small' }, p.verifier.clientId),
    ),
    p.plan.satisfiable ? null : h('p', { class: 'warn' }, 'This wallet cannot satisfy every required query.'),
    p.plan.transactionData.length
      ? h('details', { open: true }, h('summary', null, 'Transaction data you would sign'), json(p.plan.transactionData))
      : null,
    queries,
    h(
      'div',
      { class: 'row' },
      share,
      button('Decline', () => put(msg, h('p', { role: 'status' }, 'Declined: nothing was sent.'))),
    ),
    msg,
  )
}

async function showLog(where: HTMLElement): Promise<void> {
  const items = (
    await api<{
      items: {
        at: number
        outcome: string
        verifier: { subject?: string; clientId: string }
        credentials: { queryId: string; type: string; claims: string[][] }[]
      }[]
    }>('/v1/holder/presentations?limit=20')
  ).items
  put(
    where,
    items.length
      ? table(items, {
          When: (x) => time(x.at),
          Verifier: (x) => x.verifier.subject?.split('\n')[0] ?? x.verifier.clientId,
          Shared: (x) => x.credentials.map((c) => `${c.type}: ${c.claims.map((p) => p.join('/')).join(', ')}`).join('; '),
          Outcome: (x) => badge(x.outcome),
        })
      : empty('Nothing shared yet.'),
  )
}
