import { b64uEncode, type JsonObject, utf8Decode } from '@bonafide/core'
import { signCompactJws } from '@bonafide/jose'
import {
  createLocalSigner,
  exportPrivateJwk,
  generateKeyObject,
  jwkThumbprint,
  MemoryKeyStore,
  type PublicJwk,
  type Signer,
} from '@bonafide/keys'
import { createDpopProof } from '@bonafide/oauth2'
import { createIssuer, createKeyAttestation, MemoryIssuerStore, PROOF_TYP, type TokenSession } from '@bonafide/openid4vci'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { decodeSdJwt } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createWalletProvider,
  loopbackFetcher,
  PID_CLAIMS,
  type Running,
  startIssuer,
  type WalletProvider,
  walletAttestationFor,
  walletFor,
} from './helpers.js'

const fetcher = loopbackFetcher()
const newSigner = (): Signer =>
  createLocalSigner(
    generateKeyObject('ES256'),
    { store: 't', id: b64uEncode(crypto.getRandomValues(new Uint8Array(6))) },
    'ES256',
  )

async function post(url: string, body: JsonObject, headers: Record<string, string>) {
  const r = await fetcher(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = utf8Decode(r.body)
  return { status: r.status, headers: r.headers, json: text ? (JSON.parse(text) as JsonObject) : {} }
}

async function base(r: Running): Promise<JsonObject> {
  return { aud: r.url, iat: Math.floor(Date.now() / 1000), nonce: await nonce(r) }
}

async function nonce(r: Running): Promise<string> {
  return String((await post(`${r.url}/nonce`, {}, {})).json.c_nonce)
}

function proof(s: Signer, payload: JsonObject, header: JsonObject = {}) {
  return signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk }, ...header }, payload, s)
}

function checkBatch(r: Running, creds: readonly { credential: unknown; publicJwk: { x: string } }[], n: number) {
  expect(creds).toHaveLength(n)
  const salts = new Set<string>()
  const idx = new Set<number>()
  const keys = new Set<string>()
  const iats = new Set<number>()
  for (const c of creds) {
    const d = decodeSdJwt(String(c.credential))
    expect((d.jwt.payload.cnf as { jwk: { x: string } }).jwk.x).toBe(c.publicJwk.x)
    keys.add(c.publicJwk.x)
    for (const x of d.disclosures) salts.add(x.salt)
    idx.add((d.jwt.payload.status as { status_list: { idx: number } }).status_list.idx)
    expect(d.claims.given_name).toBe(PID_CLAIMS.given_name)
    // RFC 9901 §10.1: privacy-rounded timestamps, the same for the whole batch
    iats.add(Number(d.jwt.payload.iat))
  }
  expect(iats.size).toBe(1)
  expect([...iats][0] ?? 1).toSatisfy((x: number) => x % 86400 === 0)
  expect(keys.size).toBe(n)
  expect(idx.size).toBe(n)
  expect(salts.size).toBe(n * Object.keys(PID_CLAIMS).length + n * 1 - n) // one salt per disclosure, all distinct
  const audit = r.audits.at(-1) as JsonObject
  expect(audit.count).toBe(n)
  expect(JSON.stringify(creds.map((c) => c.credential))).not.toContain(String(audit.batchId))
}

describe('OpenID4VCI over HTTP on 127.0.0.1', () => {
  let r: Running
  let provider: WalletProvider
  beforeAll(async () => {
    provider = await createWalletProvider()
    r = await startIssuer({ trustProviders: [provider.rootPem] })
  })
  afterAll(() => r.close())

  it('§12.2.4 metadata advertises batch_size, proof types and endpoints', async () => {
    const w = walletFor(r)
    const m = await w.resolveIssuer(r.url)
    expect(m.metadata.batch_credential_issuance?.batch_size).toBe(50)
    expect(m.metadata.nonce_endpoint).toBe(`${r.url}/nonce`)
    const pts = m.metadata.credential_configurations_supported.pid_sd_jwt?.proof_types_supported
    expect(Object.keys(pts ?? {}).sort()).toEqual(['attestation', 'jwt'])
    expect(m.asMetadata.pushed_authorization_request_endpoint).toBe(`${r.url}/par`)
  })

  for (const n of [10, 50]) {
    it(`§8.2 pre-authorized batch of ${n} via proofs.jwt: distinct keys, salts and status indices`, async () => {
      const { link } = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const res = await walletFor(r).receiveOffer(link, { count: n })
      checkBatch(r, res.credentials, n)
      expect(res.notificationId).toBeTruthy()
    })
  }

  it('§4.1.3 offer by reference with a tx_code', async () => {
    const o = await r.issuer.createOffer({
      configurationIds: ['pid_sd_jwt'],
      byReference: true,
      txCode: { length: 6 },
      scheme: 'haip-vci://',
    })
    expect(o.link.startsWith('haip-vci://?credential_offer_uri=')).toBe(true)
    const res = await walletFor(r).receiveOffer(o.link, { count: 2, txCode: o.txCode ?? '' })
    expect(res.credentials).toHaveLength(2)
  })

  it('§6.1 pre-authorized code redeemed twice concurrently: exactly one succeeds', async () => {
    const o = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
    const body = `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:pre-authorized_code')}&pre-authorized_code=${o.preAuthorizedCode}`
    const rs = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetcher(`${r.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
      ),
    )
    expect(rs.filter((x) => x.status === 200)).toHaveLength(1)
    expect(rs.filter((x) => x.status === 400 && utf8Decode(x.body).includes('invalid_grant'))).toHaveLength(7)
  })

  it('§6.3 wrong tx_code is counted; beyond the limit even the right code fails', async () => {
    const o = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'], txCode: { length: 6 } })
    const tok = (tx: string) =>
      fetcher(`${r.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:pre-authorized_code')}&pre-authorized_code=${o.preAuthorizedCode}&tx_code=${tx}`,
      })
    const wrong = o.txCode === '000000' ? '111111' : '000000'
    for (let i = 0; i < 3; i++) expect(utf8Decode((await tok(wrong)).body)).toContain('invalid_grant')
    const last = await tok(o.txCode ?? '')
    expect(last.status).toBe(400)
    expect(utf8Decode(last.body)).toContain('invalid_grant')
  })

  describe('credential endpoint negatives', () => {
    let session: TokenSession
    let auth: Record<string, string>
    beforeAll(async () => {
      const o = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(r)
      const offer = await w.resolveOffer(o.link)
      session = await w.tokenPreAuthorized(await w.resolveIssuer(r.url), offer)
      auth = { authorization: `Bearer ${session.token.access_token}` }
    })
    const request = (proofs: JsonObject) =>
      post(`${r.url}/credential`, { credential_configuration_id: 'pid_sd_jwt', proofs }, auth)
    const base = async () => ({ aud: r.url, iat: Math.floor(Date.now() / 1000), nonce: await nonce(r) })

    it('§8.3.1.2 replayed nonce is invalid_nonce', async () => {
      const p = await base()
      expect((await request({ jwt: [await proof(newSigner(), p)] })).status).toBe(200)
      const again = await request({ jwt: [await proof(newSigner(), p)] })
      expect(again.status).toBe(400)
      expect(again.json.error).toBe('invalid_nonce')
    })
    it('§7 a c_nonce is single use across concurrent requests (exactly one succeeds)', async () => {
      const p = await base()
      const rs = await Promise.all(Array.from({ length: 6 }, async () => request({ jwt: [await proof(newSigner(), p)] })))
      expect(rs.filter((x) => x.status === 200)).toHaveLength(1)
      expect(rs.filter((x) => x.json.error === 'invalid_nonce')).toHaveLength(5)
    })
    it('§7 the nonce endpoint is not cacheable and nonces are unpredictable', async () => {
      const a = await post(`${r.url}/nonce`, {}, {})
      const b = await post(`${r.url}/nonce`, {}, {})
      expect(a.headers['cache-control']).toBe('no-store')
      expect(a.json.c_nonce).not.toBe(b.json.c_nonce)
      expect(String(a.json.c_nonce).length).toBeGreaterThanOrEqual(43)
    })
    it('Appendix F.4 wrong aud is invalid_proof', async () => {
      const res = await request({ jwt: [await proof(newSigner(), { ...(await base()), aud: 'https://other.example' })] })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.1 iss in a proof under anonymous pre-authorized access is invalid_proof', async () => {
      const res = await request({ jwt: [await proof(newSigner(), { ...(await base()), iss: 'some-client' })] })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.4 stale iat is invalid_proof', async () => {
      const res = await request({
        jwt: [await proof(newSigner(), { ...(await base()), iat: Math.floor(Date.now() / 1000) - 3600 })],
      })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.1 x5c proofs bind the first certificate key; kid proofs need a resolver', async () => {
      const chain = await createDevChain({ alg: 'ES256' })
      const leaf = createLocalSigner(chain.leaf.key, { store: 't', id: 'x5c' }, 'ES256')
      const x5cProof = await signCompactJws({ typ: PROOF_TYP, x5c: chain.x5c }, await base(), leaf)
      const ok = await request({ jwt: [x5cProof] })
      expect(ok.status).toBe(200)
      const cred = decodeSdJwt(String((ok.json.credentials as { credential: string }[])[0]?.credential))
      expect((cred.jwt.payload.cnf as { jwk: { x: string } }).jwk.x).toBe(leaf.publicJwk.x)
      const k = newSigner()
      const kidProof = await signCompactJws({ typ: PROOF_TYP, kid: 'did:example:123#key-1' }, await base(), k)
      expect((await request({ jwt: [kidProof] })).json.error).toBe('invalid_proof')
    })
    it('§8.2 duplicate key is invalid_proof', async () => {
      const s = newSigner()
      const p = await base()
      const res = await request({ jwt: [await proof(s, p), await proof(s, p)] })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.1 alg none is invalid_proof', async () => {
      const p = await base()
      const h = b64uEncode(JSON.stringify({ alg: 'none', typ: PROOF_TYP, jwk: newSigner().publicJwk }))
      const res = await request({ jwt: [`${h}.${b64uEncode(JSON.stringify(p))}.AAAA`] })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.4 private key in the header is invalid_proof', async () => {
      const k = generateKeyObject('ES256')
      const s = createLocalSigner(k, { store: 't', id: 'p' }, 'ES256')
      const res = await request({ jwt: [await proof(s, await base(), { jwk: { ...exportPrivateJwk(k) } })] })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix F.1 wrong typ and kid+jwk together are invalid_proof', async () => {
      expect((await request({ jwt: [await proof(newSigner(), await base(), { typ: 'JWT' })] })).json.error).toBe('invalid_proof')
      expect((await request({ jwt: [await proof(newSigner(), await base(), { kid: 'k1' })] })).json.error).toBe('invalid_proof')
    })
    it('§8.2 more proofs than batch_size is invalid_credential_request', async () => {
      const p = await base()
      const proofs = await Promise.all(Array.from({ length: 51 }, () => proof(newSigner(), p)))
      expect((await request({ jwt: proofs })).json.error).toBe('invalid_credential_request')
    })
    it('§8.3.1.2 unknown configuration and missing proofs', async () => {
      const u = await post(`${r.url}/credential`, { credential_configuration_id: 'nope', proofs: { jwt: ['a.b.c'] } }, auth)
      expect(u.json.error).toBe('unknown_credential_configuration')
      expect((await post(`${r.url}/credential`, { credential_configuration_id: 'pid_sd_jwt' }, auth)).json.error).toBe(
        'invalid_proof',
      )
    })
    it('RFC 6750 §3.1 missing or unknown token is 401 invalid_token', async () => {
      const res = await post(
        `${r.url}/credential`,
        { credential_configuration_id: 'pid_sd_jwt' },
        { authorization: 'Bearer nope' },
      )
      expect(res.status).toBe(401)
      expect(res.json.error).toBe('invalid_token')
    })
    it('§10 invalid encryption parameters are refused, unencrypted', async () => {
      const res = await post(
        `${r.url}/credential`,
        {
          credential_configuration_id: 'pid_sd_jwt',
          proofs: { jwt: ['x'] },
          credential_response_encryption: { jwk: {}, enc: 'A128GCM' },
        },
        auth,
      )
      expect(res.json.error).toBe('invalid_encryption_parameters')
    })
  })

  describe('key attestations', () => {
    for (const profile of ['openid4vci', 'ts3'] as const) {
      it(`Appendix D, ${profile} profile: N=5 with batch_size 3 issues 3`, async () => {
        const r3 = await startIssuer({ trustProviders: [provider.rootPem], batchSize: 3, profile })
        try {
          const { link } = await r3.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
          const keyStore = new MemoryKeyStore()
          const res = await walletFor(r3, { keyStore }).receiveOffer(link, {
            count: 5,
            keyAttestation: { attestor: provider.attestor({ profile }), profile },
          })
          checkBatch(r3, res.credentials, 3)
          // the two attested keys the issuer did not bind are deleted from the wallet's key store
          const left: string[] = []
          for await (const k of keyStore.list()) left.push(k.ref.id)
          expect(left.sort()).toEqual(res.credentials.map((c) => c.keyRef.id).sort())
          expect(r3.audits.at(-1)?.attested).toBe(true)
        } finally {
          await r3.close()
        }
      })
      it(`Appendix D, ${profile} profile: N=2 with batch_size 10 issues 2`, async () => {
        const r10 = await startIssuer({ trustProviders: [provider.rootPem], batchSize: 10, profile })
        try {
          const { link } = await r10.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
          const res = await walletFor(r10).receiveOffer(link, {
            count: 2,
            keyAttestation: { attestor: provider.attestor({ profile }), profile },
          })
          checkBatch(r10, res.credentials, 2)
        } finally {
          await r10.close()
        }
      })
    }
    it('Appendix F.3 attestation proof type issues one credential per attested key', async () => {
      const { link } = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const res = await walletFor(r).receiveOffer(link, {
        count: 4,
        keyAttestation: { attestor: provider.attestor(), proofType: 'attestation' },
      })
      checkBatch(r, res.credentials, 4)
    })

    async function attestedRequest(opts: {
      signer?: Signer
      header?: JsonObject
      ka?: (keys: Signer[], n: string) => Promise<string>
    }) {
      const o = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(r)
      const s = await w.tokenPreAuthorized(await w.resolveIssuer(r.url), await w.resolveOffer(o.link))
      const keys = [newSigner(), newSigner()]
      const n = await nonce(r)
      const ka = opts.ka ? await opts.ka(keys, n) : await provider.attestor()({ keys: keys.map((k) => k.publicJwk), nonce: n })
      const signer = opts.signer ?? (keys[0] as Signer)
      const p = await signCompactJws(
        { typ: PROOF_TYP, key_attestation: ka, jwk: { ...signer.publicJwk }, ...opts.header },
        { aud: r.url, iat: Math.floor(Date.now() / 1000), nonce: n },
        signer,
      )
      return post(
        `${r.url}/credential`,
        { credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: [p] } },
        { authorization: `Bearer ${s.token.access_token}` },
      )
    }
    it('Appendix D.1 proof signed by a non-attested key is invalid_proof', async () => {
      expect((await attestedRequest({ signer: newSigner() })).json.error).toBe('invalid_proof')
    })
    it('Appendix D.1 untrusted wallet provider is invalid_proof', async () => {
      const other = await createWalletProvider()
      const res = await attestedRequest({ ka: (keys, n) => other.attestor()({ keys: keys.map((k) => k.publicJwk), nonce: n }) })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('HAIP §4.5.1 a key attestation whose x5c includes the trust anchor is invalid_proof', async () => {
      const res = await attestedRequest({
        ka: (keys, n) =>
          createKeyAttestation({
            providerSigner: provider.signer,
            x5c: [...provider.x5c, provider.rootB64],
            attestedKeys: keys.map((k) => k.publicJwk),
            nonce: n,
          }),
      })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix D.1 expired key attestation is invalid_proof', async () => {
      const res = await attestedRequest({
        ka: (keys, n) =>
          createKeyAttestation({
            providerSigner: provider.signer,
            x5c: provider.x5c,
            attestedKeys: keys.map((k) => k.publicJwk),
            nonce: n,
            clock: { now: () => Date.now() - 7200_000 },
            validForSeconds: 60,
          }),
      })
      expect(res.json.error).toBe('invalid_proof')
    })
    it('Appendix D.1 a revoked key attestation (status) is invalid_proof', async () => {
      const { createX5cValidator } = await import('@bonafide/jose')
      const revoked = new Set([7])
      const t = await startIssuer({
        keyAttestation: {
          trustedProviders: createX5cValidator([provider.rootPem]),
          checkStatus: async (st) => {
            const idx = (st.status_list as { idx?: number } | undefined)?.idx
            if (idx === undefined || revoked.has(idx)) throw new Error('revoked')
          },
        },
      })
      try {
        const attestor =
          (idx: number) =>
          ({ keys, nonce: n }: { keys: readonly PublicJwk[]; nonce: string }) =>
            createKeyAttestation({
              providerSigner: provider.signer,
              x5c: provider.x5c,
              attestedKeys: keys,
              nonce: n,
              status: { status_list: { idx, uri: 'https://wp.example/status/1' } },
            })
        const o1 = await t.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
        await expect(
          walletFor(t).receiveOffer(o1.link, { count: 2, keyAttestation: { attestor: attestor(7) } }),
        ).rejects.toMatchObject({
          error: 'invalid_proof',
        })
        const o2 = await t.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
        const ok = await walletFor(t).receiveOffer(o2.link, { count: 2, keyAttestation: { attestor: attestor(8) } })
        expect(ok.credentials).toHaveLength(2)
      } finally {
        await t.close()
      }
    })
    it('EUDI TS3 profile refuses a kid in a key-attested proof', async () => {
      const t = await startIssuer({ trustProviders: [provider.rootPem], profile: 'ts3' })
      try {
        const o = await t.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
        const w = walletFor(t)
        const s = await w.tokenPreAuthorized(await w.resolveIssuer(t.url), await w.resolveOffer(o.link))
        const k = newSigner()
        const n = await nonce(t)
        const ka = await provider.attestor({ profile: 'ts3' })({ keys: [k.publicJwk], nonce: n })
        const p = await signCompactJws(
          { typ: PROOF_TYP, key_attestation: ka, kid: jwkThumbprint(k.publicJwk) },
          { aud: t.url, iat: Math.floor(Date.now() / 1000), nonce: n },
          k,
        )
        const res = await post(
          `${t.url}/credential`,
          { credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: [p] } },
          { authorization: `Bearer ${s.token.access_token}` },
        )
        expect(res.json.error).toBe('invalid_proof')
      } finally {
        await t.close()
      }
    })
  })

  describe("a configuration's own batch_size and key attestation requirement", () => {
    let t: Running
    beforeAll(async () => {
      t = await startIssuer({
        trustProviders: [provider.rootPem],
        batchSize: 10,
        configurations: {
          pid_sd_jwt: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', scope: 'pid' },
          small: { format: 'dc+sd-jwt', vct: 'urn:example:small', scope: 'small' },
          attested: { format: 'dc+sd-jwt', vct: 'urn:example:attested', scope: 'attested' },
        },
        batchSizeFor: (id) => (id === 'small' ? 3 : undefined),
        keyAttestationRequiredFor: (id) => id === 'attested',
      })
    })
    afterAll(() => t.close())

    async function authFor(id: string): Promise<Record<string, string>> {
      const o = await t.issuer.createOffer({ configurationIds: [id] })
      const w = walletFor(t)
      const s = await w.tokenPreAuthorized(await w.resolveIssuer(t.url), await w.resolveOffer(o.link))
      return { authorization: `Bearer ${s.token.access_token}` }
    }
    async function plainProofs(n: number): Promise<string[]> {
      const p = { aud: t.url, iat: Math.floor(Date.now() / 1000), nonce: await nonce(t) }
      return Promise.all(Array.from({ length: n }, () => proof(newSigner(), p)))
    }
    const request = async (id: string, jwt: string[]) =>
      post(`${t.url}/credential`, { credential_configuration_id: id, proofs: { jwt } }, await authFor(id))

    it("§12.2.4 batch_size stays issuer-wide; §8.2 more proofs than the configuration's batch_size is invalid_credential_request", async () => {
      const md = await walletFor(t).resolveIssuer(t.url)
      expect(md.metadata.batch_credential_issuance?.batch_size).toBe(10)
      const ok = await request('small', await plainProofs(3))
      expect(ok.status).toBe(200)
      expect(ok.json.credentials).toHaveLength(3)
      const over = await request('small', await plainProofs(4))
      expect(over.status).toBe(400)
      expect(over.json.error).toBe('invalid_credential_request')
      expect(over.json.error_description).toContain("configuration's batch_size")
      // another configuration keeps the issuer-wide cap
      const other = await request('pid_sd_jwt', await plainProofs(4))
      expect(other.status).toBe(200)
      expect(other.json.credentials).toHaveLength(4)
    })

    it("Appendix D.1 a key attestation of 5 keys binds only the first 3 under the configuration's batch_size of 3", async () => {
      const { link } = await t.issuer.createOffer({ configurationIds: ['small'] })
      const res = await walletFor(t).receiveOffer(link, { count: 5, keyAttestation: { attestor: provider.attestor() } })
      expect(res.credentials).toHaveLength(3)
      for (const c of res.credentials) {
        const d = decodeSdJwt(String(c.credential))
        expect((d.jwt.payload.cnf as { jwk: { x: string } }).jwk.x).toBe(c.publicJwk.x)
      }
      expect(t.audits.at(-1)).toMatchObject({ configurationId: 'small', count: 3, attested: true })
    })

    it('§12.2.4 key_attestations_required for one configuration: advertised there only; a plain proof is invalid_proof', async () => {
      const md = await walletFor(t).resolveIssuer(t.url)
      const cs = md.metadata.credential_configurations_supported
      expect(cs.attested?.proof_types_supported?.jwt?.key_attestations_required).toEqual({})
      expect(cs.pid_sd_jwt?.proof_types_supported?.jwt?.key_attestations_required).toBeUndefined()
      const plain = await request('attested', await plainProofs(1))
      expect(plain.status).toBe(400)
      expect(plain.json.error).toBe('invalid_proof')
      expect(plain.json.error_description).toBe('a key attestation is required')
      const { link } = await t.issuer.createOffer({ configurationIds: ['attested'] })
      const ok = await walletFor(t).receiveOffer(link, { count: 2, keyAttestation: { attestor: provider.attestor() } })
      expect(ok.credentials).toHaveLength(2)
    })

    it('§12.2.4 a configuration requiring key attestations needs a key attestation policy', () => {
      expect(() =>
        createIssuer({
          issuer: 'https://issuer.example',
          store: new MemoryIssuerStore(),
          formats: [sdJwtVcFormat({ signer: newSigner() })],
          configurations: { attested: { format: 'dc+sd-jwt', vct: 'urn:example:attested' } },
          batchSize: 2,
          claims: () => PID_CLAIMS,
          keyAttestationRequiredFor: () => true,
        }),
      ).toThrow(expect.objectContaining({ code: 'openid4vci.config_invalid' }))
    })
  })

  it('§5 authorization code flow with PAR, PKCE, DPoP and wallet attestation', async () => {
    const a = await startIssuer({
      trustProviders: [provider.rootPem],
      clientAttestation: {
        trustedProviders: (await import('@bonafide/jose')).createX5cValidator([provider.rootPem]),
        required: true,
      },
      dpop: { required: true, nonce: true },
    })
    try {
      const clientId = 'wallet-client-1'
      const w = walletFor(a, { clientId, walletAttestation: await walletAttestationFor(provider, clientId), dpop: true })
      const iss = await w.resolveIssuer(a.url)
      const session = await w.tokenAuthorizationCode(iss, {
        configurationIds: ['pid_sd_jwt'],
        redirectUri: 'https://wallet.example/cb',
        authorizationDetails: true,
        userAgent: async (url) => {
          const res = await fetcher(url, { method: 'GET' })
          expect(res.status).toBe(302)
          return String(res.headers.location)
        },
      })
      expect(session.token.token_type).toBe('DPoP')
      expect(session.token.authorization_details?.[0]?.credential_identifiers?.length).toBe(1)
      const res = await w.requestCredentials(session, { configurationId: 'pid_sd_jwt', count: 3, proofIss: true })
      expect(res.credentials).toHaveLength(3)
      // RFC 9449 §4.3: a proof for another URL or by another key is refused.
      const other = newSigner()
      const wrongUrl = await createDpopProof({
        signer: session.dpop as Signer,
        htm: 'POST',
        htu: `${a.url}/nonce`,
        accessToken: session.token.access_token,
        nonce: session.dpopNonce ?? '',
      })
      const wrongKey = await createDpopProof({
        signer: other,
        htm: 'POST',
        htu: `${a.url}/credential`,
        accessToken: session.token.access_token,
        nonce: session.dpopNonce ?? '',
      })
      for (const dpop of [wrongUrl, wrongKey]) {
        const x = await post(
          `${a.url}/credential`,
          { credential_identifier: 'x' },
          { authorization: `DPoP ${session.token.access_token}`, dpop },
        )
        expect(x.status).toBe(401)
        expect(x.json.error).toBe('invalid_dpop_proof')
      }
      const bearer = await post(
        `${a.url}/credential`,
        { credential_identifier: 'x' },
        { authorization: `Bearer ${session.token.access_token}` },
      )
      expect(bearer.json.error).toBe('invalid_token')
    } finally {
      await a.close()
    }
  })

  it('attest_jwt_client_auth: PAR without a wallet attestation is invalid_client when required', async () => {
    const a = await startIssuer({
      clientAttestation: {
        trustedProviders: (await import('@bonafide/jose')).createX5cValidator([provider.rootPem]),
        required: true,
      },
    })
    try {
      const w = walletFor(a, { clientId: 'no-attestation' })
      const err = await w
        .tokenAuthorizationCode(await w.resolveIssuer(a.url), {
          configurationIds: ['pid_sd_jwt'],
          redirectUri: 'https://wallet.example/cb',
          userAgent: async () => 'https://wallet.example/cb',
        })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
      const other = await createWalletProvider()
      const w2 = walletFor(a, { clientId: 'c2', walletAttestation: await walletAttestationFor(other, 'c2') })
      const err2 = await w2
        .tokenAuthorizationCode(await w2.resolveIssuer(a.url), {
          configurationIds: ['pid_sd_jwt'],
          redirectUri: 'https://wallet.example/cb',
          userAgent: async () => 'https://wallet.example/cb',
        })
        .catch((e: unknown) => e)
      expect(err2).toMatchObject({ error: 'invalid_client' })
    } finally {
      await a.close()
    }
  })

  it('§5.1.3 authorization code flow from an offer with issuer_state: claims come from the offer session', async () => {
    const seen: JsonObject[] = []
    const a = await startIssuer({
      claims: (c) => {
        seen.push(c.sessionData)
        return { ...PID_CLAIMS, given_name: String(c.sessionData.name ?? 'none') }
      },
    })
    try {
      const o = await a.issuer.createOffer({
        configurationIds: ['pid_sd_jwt'],
        preAuthorized: false,
        authorizationCode: true,
        sessionData: { name: 'Offer-Erika' },
      })
      const clientId = 'wallet-2'
      const w = walletFor(a, { clientId })
      const offer = await w.resolveOffer(o.link)
      const userAgent = async (url: string) => String((await fetcher(url, { method: 'GET' })).headers.location)
      const session = await w.tokenAuthorizationCode(await w.resolveIssuer(a.url), {
        configurationIds: ['pid_sd_jwt'],
        redirectUri: 'https://wallet.example/cb',
        issuerState: offer.grants?.authorization_code?.issuer_state ?? '',
        userAgent,
      })
      const res = await w.requestCredentials(session, { configurationId: 'pid_sd_jwt', count: 2 })
      expect(res.credentials[0]?.claims?.given_name).toBe('Offer-Erika')
      expect(seen.at(-1)).toEqual({ name: 'Offer-Erika' })
      // issuer_state is single use
      await expect(
        w.tokenAuthorizationCode(await w.resolveIssuer(a.url), {
          configurationIds: ['pid_sd_jwt'],
          redirectUri: 'https://wallet.example/cb',
          issuerState: offer.grants?.authorization_code?.issuer_state ?? '',
          userAgent: async (url) => {
            const r2 = await fetcher(url, { method: 'GET' })
            expect(r2.status).toBe(400)
            return 'https://wallet.example/cb?error=invalid_request'
          },
        }),
      ).rejects.toBeTruthy()
    } finally {
      await a.close()
    }
  })

  it('RFC 9126 §2.1 PAR refuses plain PKCE and a missing code_challenge', async () => {
    const par = (body: string) =>
      fetcher(`${r.url}/par`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    const common = `response_type=code&client_id=c&redirect_uri=${encodeURIComponent('https://w.example/cb')}&scope=pid`
    expect(
      JSON.parse(utf8Decode((await par(`${common}&code_challenge=${'a'.repeat(43)}&code_challenge_method=plain`)).body)).error,
    ).toBe('invalid_request')
    expect(JSON.parse(utf8Decode((await par(common)).body)).error).toBe('invalid_request')
  })

  it('an external authorization server plugs in through verifyAccessToken', async () => {
    const x = await startIssuer({
      externalAuthorizationServer: {
        issuer: 'https://as.example',
        verifyAccessToken: async (t) =>
          t === 'ext-token-1' ? { sessionId: 's-ext', configurationIds: ['pid_sd_jwt'] } : undefined,
      },
    })
    try {
      expect((x.issuer.metadata.authorization_servers as string[])[0]).toBe('https://as.example')
      expect((await fetcher(`${x.url}/token`, { method: 'POST', body: '' })).status).toBe(404)
      const ok = await post(
        `${x.url}/credential`,
        { credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: [await proof(newSigner(), await base(x))] } },
        { authorization: 'Bearer ext-token-1' },
      )
      expect(ok.status).toBe(200)
      const bad = await post(
        `${x.url}/credential`,
        { credential_configuration_id: 'pid_sd_jwt' },
        { authorization: 'Bearer other' },
      )
      expect(bad.status).toBe(401)
    } finally {
      await x.close()
    }
  })

  it('§12.2.4 key_attestations_required: a plain proof and an attestation with the wrong key_storage are invalid_proof', async () => {
    const k = await startIssuer({
      keyAttestation: {
        trustedProviders: (await import('@bonafide/jose')).createX5cValidator([provider.rootPem]),
        mandatory: true,
        required: { key_storage: ['iso_18045_high'] },
      },
    })
    try {
      const md = await walletFor(k).resolveIssuer(k.url)
      expect(
        md.metadata.credential_configurations_supported.pid_sd_jwt?.proof_types_supported?.jwt?.key_attestations_required,
      ).toEqual({
        key_storage: ['iso_18045_high'],
      })
      const { link } = await k.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      await expect(walletFor(k).receiveOffer(link, { count: 1 })).rejects.toMatchObject({ error: 'invalid_proof' })
      const o2 = await k.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      await expect(
        walletFor(k).receiveOffer(o2.link, {
          count: 2,
          keyAttestation: { attestor: provider.attestor({ keyStorage: ['iso_18045_basic'] }) },
        }),
      ).rejects.toMatchObject({ error: 'invalid_proof' })
      const o3 = await k.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const ok = await walletFor(k).receiveOffer(o3.link, { count: 2, keyAttestation: { attestor: provider.attestor() } })
      expect(ok.credentials).toHaveLength(2)
    } finally {
      await k.close()
    }
  })

  it('§12.2.2 wallet refuses metadata whose credential_issuer differs from the identifier used', async () => {
    const inner = loopbackFetcher()
    const lying: typeof inner = async (url, req) => {
      const res = await inner(url, req)
      if (!url.includes('openid-credential-issuer')) return res
      const m = JSON.parse(utf8Decode(res.body)) as JsonObject
      return { ...res, body: new TextEncoder().encode(JSON.stringify({ ...m, credential_issuer: 'https://evil.example' })) }
    }
    await expect(walletFor(r, { fetcher: lying }).resolveIssuer(r.url)).rejects.toMatchObject({
      code: 'openid4vci.metadata_invalid',
    })
  })

  it('RFC 9207 wallet refuses an authorization response with another iss', async () => {
    const w = walletFor(r, { clientId: 'wallet-3' })
    await expect(
      w.tokenAuthorizationCode(await w.resolveIssuer(r.url), {
        configurationIds: ['pid_sd_jwt'],
        redirectUri: 'https://wallet.example/cb',
        userAgent: async (url) => {
          const back = new URL(String((await fetcher(url, { method: 'GET' })).headers.location))
          back.searchParams.set('iss', 'https://mix-up.example')
          return back.toString()
        },
      }),
    ).rejects.toMatchObject({ code: 'openid4vci.token_failed' })
  })

  it('§12.2.3 signed metadata: verified against the trusted signer, refused from another, required when asked', async () => {
    const { createX5cValidator } = await import('@bonafide/jose')
    const chain = await createDevChain({ alg: 'ES256' })
    const sm = { signer: createLocalSigner(chain.leaf.key, { store: 't', id: 'md' }, 'ES256'), x5c: chain.x5c }
    const s = await startIssuer({ signedMetadata: sm })
    try {
      const good = walletFor(s, { signedMetadata: { trust: createX5cValidator([chain.root.pem]), required: true } })
      const md = await good.resolveIssuer(s.url)
      expect(md.metadata.credential_issuer).toBe(s.url)
      expect(md.metadata).not.toHaveProperty('sub')
      const other = await createDevChain({ alg: 'ES256' })
      const bad = walletFor(s, { signedMetadata: { trust: createX5cValidator([other.root.pem]) } })
      await expect(bad.resolveIssuer(s.url)).rejects.toMatchObject({ code: 'openid4vci.metadata_invalid' })
      const strict = walletFor(r, { signedMetadata: { trust: createX5cValidator([chain.root.pem]), required: true } })
      await expect(strict.resolveIssuer(r.url)).rejects.toMatchObject({ code: 'openid4vci.metadata_invalid' })
      // plain JSON still served to wallets that do not ask
      expect((await walletFor(s).resolveIssuer(s.url)).metadata.credential_issuer).toBe(s.url)
    } finally {
      await s.close()
    }
  })

  it('§12.2.2 an issuer identifier with a path: well-known paths, endpoints and DPoP htu all work', async () => {
    const t = await startIssuer({ path: '/tenant-a', dpop: { required: true, nonce: true } })
    try {
      expect(t.url.endsWith('/tenant-a')).toBe(true)
      const wk = await fetcher(`${new URL(t.url).origin}/.well-known/openid-credential-issuer/tenant-a`)
      expect(wk.status).toBe(200)
      const { link } = await t.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const res = await walletFor(t, { dpop: true }).receiveOffer(link, { count: 3 })
      expect(res.session.token.token_type).toBe('DPoP')
      expect(res.credentials).toHaveLength(3)
    } finally {
      await t.close()
    }
  })

  it('RFC 6749 §6 refresh tokens rotate and stay bound to the DPoP key (HAIP §4.4)', async () => {
    const t = await startIssuer({ refreshTokenTtlSeconds: 3600, dpop: { required: true } })
    try {
      expect(t.issuer.asMetadata.grant_types_supported).toContain('refresh_token')
      const { link } = await t.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(t, { dpop: true })
      const first = await w.receiveOffer(link, { count: 1 })
      const s2 = await w.refresh(first.session)
      expect(s2.token.access_token).not.toBe(first.session.token.access_token)
      expect((await w.requestCredentials(s2, { configurationId: 'pid_sd_jwt', count: 2 })).credentials).toHaveLength(2)
      await expect(w.refresh(first.session)).rejects.toMatchObject({ error: 'invalid_grant' })
      // a stolen refresh token used with another DPoP key is refused
      await expect(w.refresh({ ...s2, dpop: newSigner() })).rejects.toMatchObject({ error: 'invalid_grant' })
      expect((await w.refresh(s2)).token.access_token).toBeTruthy()
    } finally {
      await t.close()
    }
  })

  it('§9 deferred issuance and §11 notification', async () => {
    let ready = false
    const d = await startIssuer({ deferred: { defer: () => true, ready: () => ready, intervalSeconds: 1 } })
    try {
      const { link } = await d.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(d)
      const first = await w.receiveOffer(link, { count: 3 })
      expect(first.transactionId).toBeTruthy()
      expect(first.credentials).toHaveLength(0)
      expect(await w.deferred(first.session, 'pid_sd_jwt', first.transactionId ?? '', first.pendingKeys ?? [])).toBeUndefined()
      ready = true
      const done = await w.deferred(first.session, 'pid_sd_jwt', first.transactionId ?? '', first.pendingKeys ?? [])
      expect(done?.credentials).toHaveLength(3)
      await w.notify(first.session, done?.notificationId ?? '', 'credential_accepted')
      expect(d.notifications.at(-1)?.event).toBe('credential_accepted')
      const bad = await post(
        `${d.url}/notification`,
        { notification_id: 'nope', event: 'credential_accepted' },
        { authorization: `Bearer ${first.session.token.access_token}` },
      )
      expect(bad.json.error).toBe('invalid_notification_id')
    } finally {
      await d.close()
    }
  })

  it('§10 encrypted requests and responses (A128GCM and A256GCM); plain requests refused when required', async () => {
    const e = await startIssuer({ encryption: { required: true } })
    try {
      const md = await walletFor(e).resolveIssuer(e.url)
      expect(md.metadata.credential_request_encryption?.jwks.keys[0]?.kid).toBeTruthy()
      for (const enc of ['A128GCM', 'A256GCM'] as const) {
        const { link } = await e.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
        const w = walletFor(e)
        const res = await w.receiveOffer(link, { count: 2, encrypt: { enc } })
        expect(res.credentials).toHaveLength(2)
        await w.notify(res.session, res.notificationId ?? '', 'credential_accepted')
      }
      const { link } = await e.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(e)
      const s = await w.tokenPreAuthorized(await w.resolveIssuer(e.url), await w.resolveOffer(link))
      const auth = { authorization: `Bearer ${s.token.access_token}` }
      const plain = await post(
        `${e.url}/credential`,
        { credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: [await proof(newSigner(), await base(e))] } },
        auth,
      )
      expect(plain.status).toBe(400)
      expect(plain.json.error).toBe('invalid_encryption_parameters')
      const garbage = await fetcher(`${e.url}/credential`, {
        method: 'POST',
        headers: { 'content-type': 'application/jwt', ...auth },
        body: 'a.b.c.d.e',
      })
      expect(JSON.parse(utf8Decode(garbage.body)).error).toBe('invalid_encryption_parameters')
    } finally {
      await e.close()
    }
  })

  it('§8.2 a plain request asking for an encrypted response is refused; §10 the response JWK needs alg', async () => {
    const e = await startIssuer({ encryption: {} })
    try {
      const { link } = await e.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
      const w = walletFor(e)
      const s = await w.tokenPreAuthorized(await w.resolveIssuer(e.url), await w.resolveOffer(link))
      const jwk = { kty: 'EC', crv: 'P-256', x: newSigner().publicJwk.x, y: (newSigner().publicJwk as { y: string }).y }
      const res = await post(
        `${e.url}/credential`,
        {
          credential_configuration_id: 'pid_sd_jwt',
          proofs: { jwt: ['x'] },
          credential_response_encryption: { jwk, enc: 'A128GCM' },
        },
        { authorization: `Bearer ${s.token.access_token}` },
      )
      expect(res.json.error).toBe('invalid_encryption_parameters')
      // unencrypted requests without response encryption are fine when not required
      const ok = await w.requestCredentials(s, { configurationId: 'pid_sd_jwt', count: 1 })
      expect(ok.credentials).toHaveLength(1)
    } finally {
      await e.close()
    }
  })

  it('wallet client retries once after invalid_nonce', async () => {
    let first = true
    const inner = loopbackFetcher()
    const flaky: typeof inner = async (url, req) => {
      if (first && url.endsWith('/nonce')) {
        first = false
        return {
          url,
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: new TextEncoder().encode('{"c_nonce":"stale-nonce"}'),
        }
      }
      return inner(url, req)
    }
    const { link } = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
    const res = await walletFor(r, { fetcher: flaky }).receiveOffer(link, { count: 2 })
    expect(first).toBe(false)
    expect(res.credentials).toHaveLength(2)
  })

  it('wallet rejects a credential bound to another key (validation is real)', async () => {
    const w = walletFor(r, { keyStore: new MemoryKeyStore() })
    const { link } = await r.issuer.createOffer({ configurationIds: ['pid_sd_jwt'] })
    const res = await w.receiveOffer(link, { count: 2 })
    const [a, b] = res.credentials
    await expect(
      w.validateCredentials(
        res.session,
        'pid_sd_jwt',
        [a?.credential ?? '', b?.credential ?? ''],
        [b ?? a, a ?? b].filter((x) => x !== undefined),
      ),
    ).rejects.toMatchObject({ code: 'openid4vci.credential_invalid' })
  })
})
