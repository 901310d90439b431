/** The console: a login for the API key, a navigation, and one page per hash route (#/issuer, #/verifier…). */
import { api, apiKey } from './api.js'
import { button, field, h, put } from './dom.js'
import { renderAdmin } from './pages/admin.js'
import { renderIssuer } from './pages/issuer.js'
import { renderPlayground } from './pages/playground.js'
import { renderVerifier } from './pages/verifier.js'
import { renderWallet } from './pages/wallet.js'
import { messages, type Page, showError } from './ui.js'

const PAGES: [string, string, Page][] = [
  ['issuer', 'Issuer', renderIssuer],
  ['verifier', 'Verifier', renderVerifier],
  ['wallet', 'Wallet', renderWallet],
  ['playground', 'Batch playground', renderPlayground],
  ['schemas', 'Schemas', renderAdmin('schemas')],
  ['keys', 'Keys & trust', renderAdmin('keys')],
  ['webhooks', 'Webhooks', renderAdmin('webhooks')],
  ['api-keys', 'API keys', renderAdmin('api-keys')],
]

const main = document.getElementById('main') as HTMLElement
const nav = document.getElementById('nav') as HTMLElement
let current: AbortController | undefined

function route(): void {
  current?.abort()
  current = new AbortController()
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?')
  const entry = PAGES.find(([p]) => p === path) ?? PAGES[0]
  if (!entry) return
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${entry[0]}`) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  if (!apiKey.get()) {
    login()
    return
  }
  document.title = `${entry[1]} — Bonafide console`
  const root = h('div', { class: 'page' })
  put(main, h('h1', null, entry[1]), root)
  Promise.resolve(entry[2](root, current.signal, new URLSearchParams(query))).catch((e) => showError(root, e))
}

function login(): void {
  const input = h('input', { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' })
  const msg = messages()
  const submit = async (e: Event) => {
    e.preventDefault()
    apiKey.set(input.value.trim())
    try {
      await api('/v1/keys')
      renderNav()
      route()
    } catch (err) {
      apiKey.clear()
      showError(msg, err)
    }
  }
  put(
    main,
    h('h1', null, 'Sign in'),
    h(
      'form',
      { class: 'card narrow', onsubmit: submit },
      h('p', null, 'Enter an API key of this agent. It is kept for this browser session only (sessionStorage).'),
      field('API key', input, 'The agent prints an admin key on its first start; more under API keys.'),
      h('button', { type: 'submit' }, 'Sign in'),
      msg,
    ),
  )
  input.focus()
}

function renderNav(): void {
  put(
    nav,
    h(
      'ul',
      null,
      PAGES.map(([p, label]) => h('li', null, h('a', { href: `#/${p}` }, label))),
    ),
    apiKey.get()
      ? button(
          'Sign out',
          () => {
            apiKey.clear()
            renderNav()
            route()
          },
          { class: 'link' },
        )
      : null,
  )
}

window.addEventListener('hashchange', route)
renderNav()
route()
