import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyAddress, createSafeFetcher } from './fetcher.js'

let base = ''
const server = createServer((req, res) => {
  if (req.url === '/big') {
    res.writeHead(200)
    res.end('x'.repeat(5000))
  } else if (req.url === '/slow') {
    setTimeout(() => res.end('late'), 2000)
  } else if (req.url === '/stream') {
    res.writeHead(200) // no content-length: the limit must hold while streaming
    for (let i = 0; i < 10; i++) res.write('y'.repeat(1000))
    res.end()
  } else {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' })
    res.end('{"ok":true}')
  }
})

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('safe fetcher', () => {
  it('classifies addresses', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public')
    expect(classifyAddress('127.0.0.1')).toBe('loopback')
    expect(classifyAddress('::1')).toBe('loopback')
    expect(classifyAddress('10.1.2.3')).toBe('private')
    expect(classifyAddress('169.254.169.254')).toBe('private')
    expect(classifyAddress('::ffff:192.168.1.1')).toBe('private')
    expect(classifyAddress('fd00::1')).toBe('private')
  })
  it('refuses http and loopback by default', async () => {
    await expect(createSafeFetcher()(`${base}/`)).rejects.toMatchObject({ code: 'core.fetch_forbidden_url' })
    await expect(createSafeFetcher({ allowHttp: true })(`${base}/`)).rejects.toMatchObject({
      code: 'core.fetch_forbidden_address',
    })
    await expect(createSafeFetcher({ allowHttp: true })('http://localhost:1/')).rejects.toMatchObject({
      code: 'core.fetch_forbidden_address',
    })
    await expect(createSafeFetcher()('https://user:pw@example.com/')).rejects.toMatchObject({ code: 'core.fetch_forbidden_url' })
  })
  it('fetches when allowed, with headers', async () => {
    const r = await createSafeFetcher({ allowHttp: true, allowLoopback: true })(`${base}/`)
    expect(r.status).toBe(200)
    expect(r.headers['cache-control']).toBe('max-age=60')
    expect(new TextDecoder().decode(r.body)).toBe('{"ok":true}')
  })
  it('bounds body size (declared and streamed) and time', async () => {
    const f = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 1000, timeoutMs: 300 })
    await expect(f(`${base}/big`)).rejects.toMatchObject({ code: 'core.fetch_too_large' })
    await expect(f(`${base}/stream`)).rejects.toMatchObject({ code: 'core.fetch_too_large' })
    await expect(f(`${base}/slow`)).rejects.toMatchObject({ code: 'core.fetch_timeout' })
  })
})
