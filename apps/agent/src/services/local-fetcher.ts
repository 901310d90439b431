import { createSafeFetcher, type Fetcher, type FetchRequest, type FetchResult } from '@bonafide/core'

/**
 * The agent's fetcher: URLs on its own public origin are answered in process by its own app (no network hop,
 * and it works behind a proxy whose public address the process cannot reach); everything else goes through
 * the safe fetcher (HTTPS only, no private or loopback addresses, size and time limits).
 */
export class LocalFetcher {
  readonly #origin: string
  readonly #remote: Fetcher
  #handler: ((req: Request) => Response | Promise<Response>) | undefined

  constructor(publicUrl: string, remote: Fetcher = createSafeFetcher({ maxBytes: 4 << 20 })) {
    this.#origin = new URL(publicUrl).origin
    this.#remote = remote
  }

  /** Set once the app exists (the app is built from the context that holds this fetcher). */
  setHandler(h: (req: Request) => Response | Promise<Response>): void {
    this.#handler = h
  }

  readonly fetch: Fetcher = async (url: string, req: FetchRequest = {}): Promise<FetchResult> => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return this.#remote(url, req)
    }
    if (u.origin !== this.#origin || !this.#handler) return this.#remote(url, req)
    const res = await this.#handler(
      new Request(u, {
        method: req.method ?? 'GET',
        ...(req.headers ? { headers: req.headers } : {}),
        ...(req.body !== undefined ? { body: req.body } : {}),
      }),
    )
    const body = new Uint8Array(await res.arrayBuffer())
    const max = req.maxBytes ?? 4 << 20
    if (body.length > max) throw new Error('response too large')
    const headers: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      headers[k] = v
    })
    return { url, status: res.status, headers, body }
  }
}
