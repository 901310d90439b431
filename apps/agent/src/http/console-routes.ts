import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Hono } from 'hono'

// The console is built into apps/agent/console (public/ as written, dist/ compiled from console/src by `tsc -b`).
const ROOT = new URL('../../console/', import.meta.url)
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')
const SECURITY = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' }

/** Files are immutable for the life of the process: read once, then served from memory. */
function files() {
  const cache = new Map<string, Uint8Array | null>()
  return (rel: string): Uint8Array | null => {
    if (!cache.has(rel)) {
      let body: Uint8Array | null = null
      try {
        body = readFileSync(fileURLToPath(new URL(rel, ROOT)))
      } catch {
        body = null
      }
      cache.set(rel, body)
    }
    return cache.get(rel) ?? null
  }
}

/** The web console at /console: a static page and its modules; everything it does goes through /v1 with an API key. */
export function mountConsole(app: Hono): void {
  const read = files()
  const send = (rel: string, type: string, maxAge: number) => {
    const body = read(rel)
    if (!body)
      return new Response('console not built: run npm install', { status: 404, headers: { 'content-type': 'text/plain' } })
    return new Response(new Uint8Array(body), {
      headers: { 'content-type': type, 'cache-control': `no-cache, max-age=${maxAge}`, ...SECURITY },
    })
  }
  app.get('/', (c) => c.redirect('/console', 302))
  app.get('/console', () => send('public/index.html', 'text/html; charset=utf-8', 0))
  app.get('/console/', (c) => c.redirect('/console', 301))
  app.get('/console/style.css', () => send('public/style.css', 'text/css; charset=utf-8', 300))
  app.get('/console/app/:file{[a-z-]{1,40}\\.js}', (c) =>
    send(`dist/${c.req.param('file')}`, 'text/javascript; charset=utf-8', 300),
  )
  app.get('/console/app/pages/:file{[a-z-]{1,40}\\.js}', (c) =>
    send(`dist/pages/${c.req.param('file')}`, 'text/javascript; charset=utf-8', 300),
  )
}
