/** A tiny element builder: no framework, no innerHTML (text is always text). */
export type Child = Node | string | number | null | undefined | false | Child[]
type Props = Record<string, unknown> | null | undefined

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener)
    else if (k === 'value' || k === 'checked' || k === 'disabled') (el as unknown as Record<string, unknown>)[k] = v
    else el.setAttribute(k === 'className' ? 'class' : k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c)
  }
}

/** Replace an element's children. */
export function put(el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, children)
}

let ids = 0
/** A labelled form control (the label points at the control, for screen readers and clicks). */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f${++ids}`
  control.id = id
  const hintId = hint ? `${id}-hint` : undefined
  if (hintId) control.setAttribute('aria-describedby', hintId)
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { id: hintId }, hint) : null)
}

export function button(label: string, onclick: (e: Event) => unknown, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...props, onclick }, label)
}

/** Pretty JSON in a scrollable block. */
export function json(value: unknown): HTMLElement {
  return h('pre', { class: 'json', tabindex: '0' }, JSON.stringify(value, null, 2))
}

/** An SVG (the agent's QR code) shown as an image, never parsed into the page. */
export function svgImage(svg: string, alt: string): HTMLImageElement {
  const b64 = btoa(unescape(encodeURIComponent(svg)))
  return h('img', { class: 'qr', src: `data:image/svg+xml;base64,${b64}`, alt })
}

export function time(ms: number | null | undefined): string {
  return typeof ms === 'number' ? new Date(ms).toLocaleString() : '—'
}

export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text)
}

/** A badge whose class follows a state (valid, revoked, verified, failed…). */
export function badge(state: string): HTMLElement {
  return h('span', { class: `badge s-${state.replace(/[^a-z_]/g, '')}` }, state.replace(/_/g, ' '))
}
