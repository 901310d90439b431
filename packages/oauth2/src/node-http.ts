import { Buffer } from 'node:buffer'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Mount a Fetch API handler on node:http. The request body is streamed through (the handler
 * enforces its own limits); the host comes from `origin`, never from the Host header.
 * @example http.createServer(createNodeListener(issuer.handle, { origin: 'http://127.0.0.1:8080' }))
 */
export function createNodeListener(
  handler: (req: Request) => Promise<Response>,
  opts: { origin: string | (() => string) },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      try {
        const origin = typeof opts.origin === 'string' ? opts.origin : opts.origin()
        const headers = new Headers()
        for (const [k, v] of Object.entries(req.headers)) {
          if (Array.isArray(v)) for (const x of v) headers.append(k, x)
          else if (v !== undefined) headers.set(k, v)
        }
        const method = req.method ?? 'GET'
        const hasBody = method !== 'GET' && method !== 'HEAD'
        const request = new Request(new URL(req.url ?? '/', origin), {
          method,
          headers,
          ...(hasBody ? { body: ReadableStreamFromNode(req), duplex: 'half' } : {}),
        } as RequestInit)
        const response = await handler(request)
        const out: Record<string, string> = {}
        response.headers.forEach((v, k) => {
          out[k] = v
        })
        res.writeHead(response.status, out)
        res.end(Buffer.from(await response.arrayBuffer()))
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end('{"error":"server_error"}')
      }
    })()
  }
}

function ReadableStreamFromNode(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (c: Buffer) => controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength)))
      req.on('end', () => controller.close())
      req.on('error', (e) => controller.error(e))
    },
    cancel() {
      req.destroy()
    },
  })
}
