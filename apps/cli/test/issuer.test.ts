import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PID_TYPE_METADATA_INTEGRITY, PID_VCT, validatePidClaims } from '@bonafide/agent'
import { createSafeFetcher, utf8Decode, utf8Encode } from '@bonafide/core'
import { createLocalSigner, MemoryKeyStore } from '@bonafide/keys'
import { createKeyAttestation, WalletClient } from '@bonafide/openid4vci'
import { msoMdocFormat, sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { documentIntegrity } from '@bonafide/schema'
import { decodeSdJwt, verifySdJwtVc } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { SAMPLE_PID, SAMPLE_PID_MDOC } from '../src/commands/issuer.js'
import type { Io } from '../src/io.js'

async function jwkFromMetadata(issuer: string) {
  const f = createSafeFetcher({ allowHttp: true, allowLoopback: true })
  const md = JSON.parse(utf8Decode((await f(`${issuer}/.well-known/jwt-vc-issuer`)).body)) as {
    jwks: { keys: Record<string, unknown>[] }
  }
  const { parsePublicJwk } = await import('@bonafide/keys')
  return parsePublicJwk(md.jwks.keys[0])
}

/** Start the demo on a free port; `stop()` ends it and resolves to the exit code. */
async function startDemo(): Promise<{ issuer: string; offer: string; stop: () => Promise<number> }> {
  let end: () => void = () => undefined
  const stopSignal = new Promise<void>((r) => {
    end = r
  })
  let first: (line: string) => void = () => undefined
  const firstLine = new Promise<string>((r) => {
    first = r
  })
  const io: Io = { out: (t) => first(t), err: () => undefined, readStdin: async () => '', env: {}, stopSignal }
  const done = runCli(['issuer', 'demo', '--port', '0', '--batch-size', '2'], io)
  const started = JSON.parse(await firstLine) as { issuer: string; offer: string }
  return {
    ...started,
    stop: () => {
      end()
      return done
    },
  }
}

/**
 * A verifier's Type Metadata registry (SD-JWT VC §4.3.2): the demo's vct is a URN, so the verifier
 * maps it to the URL it trusts for it, and keeps the bytes as fetched (integrity is over bytes, §5).
 */
async function registryFor(locations: Record<string, string>, fetcher: ReturnType<typeof createSafeFetcher>) {
  const registry = new Map<string, Uint8Array>()
  for (const [vct, url] of Object.entries(locations)) {
    const res = await fetcher(url, { headers: { accept: 'application/json' } })
    if (res.status !== 200) throw new Error(`type metadata for ${vct}: HTTP ${res.status}`)
    registry.set(vct, res.body)
  }
  return registry
}

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
    const provider = await createDevChain({ alg: 'ES256', leafName: 'CN=Test Wallet Provider' })
    const dir = await mkdtemp(join(tmpdir(), 'bonafide-issuer-'))
    const rootFile = join(dir, 'wallet-provider-root.pem')
    await writeFile(rootFile, provider.root.pem)
    const done = runCli(
      ['issuer', 'demo', '--port', '0', '--batch-size', '7', '--profile', 'ts3', '--wallet-provider-root', rootFile],
      io,
    )
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
    // each copy has its own status index, and the status list is served
    const statuses = res.credentials.map(
      (c) => decodeSdJwt(String(c.credential)).jwt.payload.status as { status_list: { idx: number; uri: string } },
    )
    expect(new Set(statuses.map((x) => x.status_list.idx)).size).toBe(7)
    const list = await fetcher(statuses[0]?.status_list.uri ?? '')
    expect(list.status).toBe(200)
    expect(list.headers['content-type']).toContain('statuslist+jwt')
    // SD-JWT VC §4.3.2: the Type Metadata of the PID type, with claim metadata and display.
    const tm = await fetcher(`${started.issuer}/type-metadata/pid`)
    expect(tm.status).toBe(200)
    expect(tm.headers['content-type']).toContain('application/json')
    const typeMetadata = JSON.parse(utf8Decode(tm.body)) as { vct: string; display: unknown[]; claims: { path: unknown[] }[] }
    expect(typeMetadata.vct).toBe('urn:eudi:pid:1')
    expect(typeMetadata.display.length).toBeGreaterThan(0)
    expect(typeMetadata.claims.map((c) => c.path)).toContainEqual(['age_equal_or_over', '18'])
    // GET /demo/offer hands out a fresh offer the same way.
    const again = JSON.parse(utf8Decode((await fetcher(`${started.issuer}/demo/offer`)).body)) as { offer: string }
    expect(again.offer).not.toBe(started.offer)
    expect((await wallet.receiveOffer(again.offer, { count: 2, encrypt: {} })).credentials).toHaveLength(2)
    // pid_mdoc: a batch of mdocs, each IssuerSigned bound to its own device key (validated by the wallet)
    const mdocWallet = new WalletClient({
      fetcher,
      keyStore: new MemoryKeyStore(),
      formats: [msoMdocFormat({ issuerKeys: [await jwkFromMetadata(started.issuer)] })],
    })
    const mdocs = await mdocWallet.receiveOffer(
      (JSON.parse(utf8Decode((await fetcher(`${started.issuer}/demo/offer`)).body)) as { offer: string }).offer,
      { count: 5, configurationId: 'pid_mdoc' },
    )
    expect(mdocs.credentials).toHaveLength(5)
    const mdocClaims = mdocs.credentials[0]?.claims as Record<string, Record<string, unknown>> | undefined
    expect(mdocClaims?.['eu.europa.ec.eudi.pid.1']?.family_name).toBe('Mustermann')
    expect(new Set(mdocs.credentials.map((c) => c.credential)).size).toBe(5)
    // TS3 key attestation: 9 attested keys, batch_size 7 → 7 credentials
    const providerSigner = createLocalSigner(provider.leaf.key, { store: 't', id: 'wp' }, 'ES256')
    const ka = await wallet.receiveOffer(
      (JSON.parse(utf8Decode((await fetcher(`${started.issuer}/demo/offer`)).body)) as { offer: string }).offer,
      {
        count: 9,
        keyAttestation: {
          profile: 'ts3',
          attestor: ({ keys, nonce }) =>
            createKeyAttestation({ providerSigner, x5c: provider.x5c, attestedKeys: keys, nonce, profile: 'ts3' }),
        },
      },
    )
    expect(ka.credentials).toHaveLength(7)
    stop()
    expect(await done).toBe(0)
    await rm(dir, { recursive: true, force: true })
    expect(lines).toHaveLength(1)
  })

  it('SD-JWT VC §2.2.2.3/§5: PID credentials carry vct#integrity of /type-metadata/pid; a verifier mapping urn:eudi:pid:1 to it checks the bytes', async () => {
    const demo = await startDemo()
    try {
      const fetcher = createSafeFetcher({ allowHttp: true, allowLoopback: true, maxBytes: 4 << 20 })
      const issuerKeys = { metadata: { fetcher, allowHttpIssuer: true } }
      const wallet = new WalletClient({ fetcher, keyStore: new MemoryKeyStore(), formats: [sdJwtVcFormat({ issuerKeys })] })
      const vc = String((await wallet.receiveOffer(demo.offer, { count: 1 })).credentials[0]?.credential)
      const registry = await registryFor({ [PID_VCT]: `${demo.issuer}/type-metadata/pid` }, fetcher)
      const served = registry.get(PID_VCT) ?? new Uint8Array()
      expect(decodeSdJwt(vc).jwt.payload['vct#integrity']).toBe(documentIntegrity(served))
      expect(PID_TYPE_METADATA_INTEGRITY).toBe(documentIntegrity(served))
      // Type metadata required: resolved from the registry, integrity checked over the served bytes.
      const ok = await verifySdJwtVc(vc, { issuerKeys, typeMetadata: { registry, required: true, fetcher } })
      expect(ok.vct).toBe(PID_VCT)
      expect(ok.typeMetadata?.chain.map((t) => t.vct)).toEqual([PID_VCT])
      // Tampered metadata (a changed display name; or the same JSON with one more byte) fails the integrity check.
      const doc = JSON.parse(utf8Decode(served)) as { display: { name: string }[] }
      doc.display[0] = { ...doc.display[0], name: 'Not a PID' }
      for (const tampered of [utf8Encode(JSON.stringify(doc)), utf8Encode(`${utf8Decode(served)}\n`)]) {
        await expect(
          verifySdJwtVc(vc, { issuerKeys, typeMetadata: { registry: new Map([[PID_VCT, tampered]]), required: true } }),
        ).rejects.toMatchObject({ code: 'sd_jwt_vc.type_metadata_integrity' })
      }
      // …or located: the verifier says where a URN vct's metadata lives, it is fetched and its integrity checked.
      const locate = (v: string) => (v === PID_VCT ? `${demo.issuer}/type-metadata/pid` : undefined)
      const located = await verifySdJwtVc(vc, { issuerKeys, typeMetadata: { fetcher, locate, required: true } })
      expect(located.typeMetadata?.chain.map((t) => t.vct)).toEqual([PID_VCT])
      const elsewhere = () => `${demo.issuer}/.well-known/jwt-vc-issuer` // some other JSON: its bytes do not match
      await expect(
        verifySdJwtVc(vc, { issuerKeys, typeMetadata: { fetcher, locate: elsewhere, required: true } }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^sd_jwt_vc\.type_metadata_(integrity|invalid)$/) })
      // §4.3.1: a URN vct is no URL, so without the registry there is nothing to fetch; required metadata then fails.
      await expect(verifySdJwtVc(vc, { issuerKeys, typeMetadata: { fetcher, required: true } })).rejects.toMatchObject({
        code: 'sd_jwt_vc.type_metadata_invalid',
      })
    } finally {
      expect(await demo.stop()).toBe(0)
    }
  })

  it('bad options are usage errors (exit 2)', async () => {
    const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '', env: {} }
    expect(await runCli(['issuer', 'demo', '--batch-size', 'x'], io)).toBe(2)
    expect(await runCli(['issuer', 'demo', '--profile', 'other'], io)).toBe(2)
  })

  it('the sample PID satisfies its schemas: SD-JWT VC JSON Schema + type metadata, mdoc EU PID doctype', () => {
    const sd = { configurationId: 'pid_sd_jwt', format: 'dc+sd-jwt', configuration: { vct: PID_VCT } }
    const mdoc = { configurationId: 'pid_mdoc', format: 'mso_mdoc', configuration: { doctype: 'eu.europa.ec.eudi.pid.1' } }
    expect(validatePidClaims({ ...sd, claims: SAMPLE_PID })).toEqual({ valid: true, errors: [] })
    expect(validatePidClaims({ ...mdoc, claims: SAMPLE_PID_MDOC })).toEqual({ valid: true, errors: [] })
  })

  it('ISO 18013-5 §7.2.1 typed mdoc values count as their type: a { $bstr } portrait passes, a malformed one is reported by path', () => {
    const ns = 'eu.europa.ec.eudi.pid.1'
    const mdoc = { configurationId: 'pid_mdoc', format: 'mso_mdoc', configuration: { doctype: ns } }
    const pid = SAMPLE_PID_MDOC[ns]
    const typed = { [ns]: { ...pid, portrait: { $bstr: '_9j_4AAQ' }, birth_date: { '$full-date': pid.birth_date } } }
    expect(validatePidClaims({ ...mdoc, claims: typed })).toEqual({ valid: true, errors: [] })
    expect(validatePidClaims({ ...mdoc, claims: { [ns]: { ...pid, portrait: '_9j_4AAQ' } } }).errors.map((e) => e.path)).toEqual([
      `/${ns}/portrait`,
    ])
    const bad = validatePidClaims({ ...mdoc, claims: { [ns]: { ...pid, birth_date: { '$full-date': '12.08.1964' } } } })
    expect(bad.errors.map((e) => e.path)).toEqual([`/${ns}/birth_date`])
  })

  it('claims that break the PID schemas are reported by field path', () => {
    const sd = { configurationId: 'pid_sd_jwt', format: 'dc+sd-jwt', configuration: { vct: PID_VCT } }
    const { family_name: _, ...noFamilyName } = SAMPLE_PID
    const bad = { ...noFamilyName, birthdate: '12.08.1964', nationalities: ['de'], age_equal_or_over: { '18': 'yes' } }
    const r = validatePidClaims({ ...sd, claims: bad })
    expect(r.valid).toBe(false)
    expect([...new Set(r.errors.map((e) => e.path))].sort()).toEqual([
      '/age_equal_or_over/18',
      '/birthdate',
      '/family_name',
      '/nationalities/0',
    ])
    const ns = 'eu.europa.ec.eudi.pid.1'
    const { place_of_birth: _p, ...noPlace } = SAMPLE_PID_MDOC[ns]
    const mdoc = validatePidClaims({
      configurationId: 'pid_mdoc',
      format: 'mso_mdoc',
      configuration: { doctype: ns },
      claims: { [ns]: { ...noPlace, nationality: 'DE', shoe_size: 44 } },
    })
    expect(mdoc.errors.map((e) => e.path).sort()).toEqual([`/${ns}/nationality`, `/${ns}/place_of_birth`, `/${ns}/shoe_size`])
    expect(validatePidClaims({ ...sd, configuration: { vct: 'urn:other' }, claims: SAMPLE_PID }).valid).toBe(false)
  })
})
