/** Shared pieces of the console's pages: problem display, async actions, paged lists. */
import { ApiError } from './api.js'
import { button, type Child, h, put } from './dom.js'

/** A page of the console: renders into `root`; `signal` aborts when the user navigates away. */
export type Page = (root: HTMLElement, signal: AbortSignal, params: URLSearchParams) => void | Promise<void>

/** Show an API problem (code, title, detail, field errors) or any other error in a live region. */
export function showError(where: Element, e: unknown): void {
  if (e instanceof ApiError) {
    const errs = e.errors.slice(0, 10).map((x) => {
      const o = x as { path?: unknown; message?: unknown }
      return h('li', null, `${String(o.path ?? '')} ${String(o.message ?? JSON.stringify(x))}`)
    })
    put(
      where,
      h(
        'div',
        { class: 'problem', role: 'alert' },
        h('strong', null, `${e.title} `),
        h('code', null, e.code),
        e.detail ? h('p', null, e.detail) : null,
        errs.length ? h('ul', null, errs) : null,
      ),
    )
  } else put(where, h('div', { class: 'problem', role: 'alert' }, String((e as Error)?.message ?? e)))
}

/** An area for messages of one section (polite live region). */
export function messages(): HTMLElement {
  return h('div', { class: 'messages', 'aria-live': 'polite' })
}

/** Run `f`, showing its error in `where`, and disabling `btn` meanwhile. */
export async function act(where: Element, f: () => Promise<unknown>, btn?: HTMLButtonElement): Promise<void> {
  put(where)
  if (btn) btn.disabled = true
  try {
    await f()
  } catch (e) {
    showError(where, e)
  } finally {
    if (btn) btn.disabled = false
  }
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', null, title), ...children)
}

/** A table of rows; `cols` maps a header to a cell builder. */
export function table<T>(rows: T[], cols: Record<string, (r: T) => Node | string>): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          Object.keys(cols).map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            Object.values(cols).map((f) => h('td', null, f(r))),
          ),
        ),
      ),
    ),
  )
}

/** A "copy" button for a value. */
export function copyButton(value: string, label = 'Copy'): HTMLButtonElement {
  const b = button(label, async () => {
    await navigator.clipboard?.writeText(value).catch(() => undefined)
    b.textContent = 'Copied'
    setTimeout(() => {
      b.textContent = label
    }, 1500)
  })
  return b
}
