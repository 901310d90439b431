import type { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Hono } from 'hono'

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bonafide agent API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: false })`

/** Interactive API docs from the local swagger-ui-dist package (no CDN). */
export function mountDocs(app: Hono, openapi: () => Record<string, unknown>): void {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const files = new Map<string, { body: Buffer; type: string }>()
  const file = (name: string, type: string) => {
    let f = files.get(name)
    if (!f) files.set(name, (f = { body: readFileSync(join(dir, name)), type }))
    return new Response(new Uint8Array(f.body), { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } })
  }
  const html = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
  }
  app.get('/docs', () => new Response(PAGE, { headers: html }))
  app.get('/docs/init.js', () => new Response(INIT, { headers: { 'content-type': 'text/javascript' } }))
  app.get('/docs/swagger-ui.css', () => file('swagger-ui.css', 'text/css'))
  app.get('/docs/swagger-ui-bundle.js', () => file('swagger-ui-bundle.js', 'text/javascript'))
  app.get('/openapi.json', () => new Response(JSON.stringify(openapi()), { headers: { 'content-type': 'application/json' } }))
}
