import { createSafeFetcher, utf8Decode } from '@bonafide/core'
import { MemoryKeyStore } from '@bonafide/keys'
import { WalletClient } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import type { Io } from '../src/io.js'

describe('bonafide issuer demo', () => {
  it('starts on 127.0.0.1, prints one JSON line with an offer, and a wallet receives a batch', async () => {
    let stop: () => void = () => undefined
    const stopSignal = new Promise<void>((r) => {
      stop = r
    })
    const lines: string[] = []
    let first: (line: string) => void = () => undefined
    const firstLine = new Promise<string>((r) => {
      first = r
    })
    const io: Io = {
      out: (t) => {
        lines.push(t)
        first(t)
      },
      err: () => undefined,
      readStdin: async () => '',
      env: {},
      stopSignal,
    }
    const done = runCli(['issuer', 'demo', '--port', '0', '--batch-size', '7', '--profile', 'ts3'], io)
    const started = JSON.parse(await firstLine) as { issuer: string; offer: string }
    expect(Object.keys(started).sort()).toEqual(['issuer', 'offer'])
    expect(started.offer.startsWith('openid-credential-offer://')).toBe(true)
    const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })
    const wallet = new WalletClient({
      fetcher,
      keyStore: new MemoryKeyStore(),
      formats: [sdJwtVcFormat({ issuerKeys: { metadata: { fetcher, allowHttpIssuer: true } } })],
    })
    const res = await wallet.receiveOffer(started.offer, { count: 7 })
    expect(res.credentials).toHaveLength(7)
    expect(res.credentials[0]?.claims?.family_name).toBe('Mustermann')
    // GET /demo/offer hands out a fresh offer the same way.
    const again = JSON.parse(utf8Decode((await fetcher(`${started.issuer}/demo/offer`)).body)) as { offer: string }
    expect(again.offer).not.toBe(started.offer)
    expect((await wallet.receiveOffer(again.offer, { count: 2, encrypt: {} })).credentials).toHaveLength(2)
    stop()
    expect(await done).toBe(0)
    expect(lines).toHaveLength(1)
  })

  it('bad options are usage errors (exit 2)', async () => {
    const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '', env: {} }
    expect(await runCli(['issuer', 'demo', '--batch-size', 'x'], io)).toBe(2)
    expect(await runCli(['issuer', 'demo', '--profile', 'other'], io)).toBe(2)
  })
})
