/**
 * Batch playground: drag N (holder keys) and batch_size, switch between a `proofs.jwt` array and one proof
 * with a key attestation; every change runs real requests against this agent (POST /v1/playground/runs: the
 * agent acts as a wallet against its own OpenID4VCI endpoints) and shows the counters, every artifact
 * decoded, and the unlinkability audit of the batch that came back.
 */
import { api } from '../api.js'
import { decodeToken } from '../decode.js'
import { badge, h, json, put } from '../dom.js'
import { messages, section, showError } from '../ui.js'

interface Artifact {
  label: string
  kind: string
  encoded?: string
  value?: unknown
}
interface Run {
  configurationId: string
  counters: {
    holderKeys: number
    batchSize: number
    proofsSent: number
    walletSignatures: number
    keysAttested: number
    credentials: number
    keysWasted: number
  }
  wastedKeys: string[]
  error: { error: string; error_description?: string } | null
  artifacts: Artifact[]
  audit: { verdict: string; findings: { kind: string; field: string; severity: string; evidence: string }[] } | null
}

export function renderPlayground(root: HTMLElement): void {
  const n = h('input', { type: 'range', min: '1', max: '20', value: '5', name: 'holderKeys', id: 'pg-n' })
  const bs = h('input', { type: 'range', min: '1', max: '20', value: '3', name: 'batchSize', id: 'pg-bs' })
  const nOut = h('output', { for: 'pg-n' }, '5')
  const bsOut = h('output', { for: 'pg-bs' }, '3')
  const modes = [
    ['jwt', 'proofs.jwt array (one signature per key)'],
    ['key_attestation', 'one proof + key attestation (OpenID4VCI)'],
    ['key_attestation_ts3', 'one proof + key attestation (EUDI TS3)'],
  ].map(([v, label], i) => {
    const r = h('input', { type: 'radio', name: 'mode', value: v, id: `pg-m-${v}`, checked: i === 0 })
    return h('span', { class: 'field check' }, r, h('label', { for: r.id }, label))
  })
  const counters = h('div', { class: 'counters', 'aria-live': 'polite', 'data-testid': 'counters' })
  const artifacts = h('div', { class: 'artifacts' })
  const detail = h('div', { class: 'artifact-detail' })
  const audit = h('div', { 'data-testid': 'audit' })
  const msg = messages()
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0
  const run = async () => {
    const mine = ++seq
    const mode = (root.querySelector('input[name="mode"]:checked') as HTMLInputElement).value
    put(msg, h('p', { class: 'muted' }, 'Running…'))
    try {
      const r = await api<Run>('/v1/playground/runs', {
        holderKeys: Number(n.value),
        batchSize: Number(bs.value),
        proofs: mode === 'jwt' ? 'jwt' : 'key_attestation',
        ...(mode === 'key_attestation_ts3' ? { profile: 'ts3' } : {}),
      })
      if (mine !== seq) return
      put(msg)
      show(r)
    } catch (e) {
      if (mine === seq) showError(msg, e)
    }
  }
  const show = (r: Run) => {
    const c = r.counters
    const tile = (label: string, value: number, id: string) =>
      h('div', { class: 'tile' }, h('strong', { 'data-testid': id }, String(value)), h('span', null, label))
    put(
      counters,
      tile('credentials received', c.credentials, 'credentials'),
      tile('wallet signatures', c.walletSignatures, 'signatures'),
      tile('keys attested', c.keysAttested, 'attested'),
      tile('keys wasted', c.keysWasted, 'wasted'),
      tile('proofs sent', c.proofsSent, 'proofs'),
      r.error
        ? h(
            'p',
            { class: 'warn' },
            `The issuer refused: ${r.error.error}${r.error.error_description ? ` — ${r.error.error_description}` : ''}`,
          )
        : null,
      r.wastedKeys.length
        ? h(
            'p',
            { class: 'muted' },
            `Attested but not bound (batch_size ${c.batchSize}): ${r.wastedKeys.map((k) => k.slice(0, 10)).join(', ')}`,
          )
        : null,
    )
    put(
      artifacts,
      h(
        'ul',
        null,
        r.artifacts.map((a, i) =>
          h(
            'li',
            null,
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () => put(detail, artifactView(a)),
                'data-testid': `artifact-${a.kind}-${i}`,
              },
              a.label,
            ),
          ),
        ),
      ),
    )
    put(detail, r.artifacts[0] ? artifactView(r.artifacts[0]) : null)
    put(
      audit,
      r.audit
        ? h(
            'div',
            null,
            h('p', null, 'Unlinkability audit of this batch: ', badge(r.audit.verdict)),
            r.audit.findings.length
              ? h(
                  'ul',
                  null,
                  r.audit.findings.map((f) => h('li', null, `${f.severity} · ${f.field}: ${f.evidence}`)),
                )
              : h('p', { class: 'muted' }, 'Nothing repeats across the copies that could link them.'),
          )
        : h('p', { class: 'muted' }, 'No batch to audit.'),
    )
  }
  const changed = () => {
    nOut.value = n.value
    bsOut.value = bs.value
    clearTimeout(timer)
    timer = setTimeout(run, 250)
  }
  root.addEventListener('input', changed)
  put(
    root,
    section(
      'Settings',
      h('div', { class: 'field' }, h('label', { for: 'pg-n' }, 'N — holder keys in the wallet: ', nOut), n),
      h('div', { class: 'field' }, h('label', { for: 'pg-bs' }, 'batch_size — the issuer’s cap: ', bsOut), bs),
      h('fieldset', null, h('legend', null, 'Proof of possession'), modes),
      msg,
    ),
    section('What happened', counters, audit),
    section('Requests and responses (click to decode)', h('div', { class: 'split' }, artifacts, detail)),
  )
  void run()
}

function artifactView(a: Artifact): HTMLElement {
  if (a.encoded === undefined) return h('div', null, h('h3', null, a.label), json(a.value))
  const d = decodeToken(a.encoded)
  return h(
    'div',
    null,
    h('h3', null, a.label),
    h('p', { class: 'muted' }, `${d.kind}, ${a.encoded.length} characters`),
    d.header ? h('div', null, h('h4', null, 'Header'), json(d.header)) : null,
    d.payload ? h('div', null, h('h4', null, 'Payload'), json(d.payload)) : null,
    d.disclosures ? h('div', null, h('h4', null, `Disclosures (${d.disclosures.length})`), json(d.disclosures)) : null,
    d.note ? h('p', null, d.note) : null,
    h('details', null, h('summary', null, 'Encoded'), h('pre', { class: 'json wrap' }, a.encoded)),
  )
}
