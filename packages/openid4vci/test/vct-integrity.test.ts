import { createLocalSigner, generateKeyObject } from '@bonafide/keys'
import { sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import { createSchemaRecord, createTypeMetadata, documentIntegrity, typeMetadataBytes } from '@bonafide/schema'
import { decodeSdJwt, verifySdJwtVc } from '@bonafide/sd-jwt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PID_CLAIMS, type Running, startIssuer, walletFor } from './helpers.js'

const TYPE_METADATA = createTypeMetadata(
  createSchemaRecord({
    name: 'pid',
    version: '1.0.0',
    author: 'test',
    schema: { type: 'object', properties: { given_name: { type: 'string' } } },
  }),
  { vct: 'urn:eudi:pid:1' },
)
const BYTES = typeMetadataBytes(TYPE_METADATA)
const INTEGRITY = documentIntegrity(BYTES)

describe('OpenID4VCI dc+sd-jwt (Appendix A.3) with vct#integrity (SD-JWT VC §2.2.2.3, §5)', () => {
  const signer = createLocalSigner(generateKeyObject('ES256'), { store: 't', id: 'issuer' }, 'ES256')
  let r: Running
  beforeAll(async () => {
    r = await startIssuer({
      formats: [
        sdJwtVcFormat({
          signer,
          vctIntegrity: (id) => (id === 'pid_sd_jwt' ? INTEGRITY : undefined),
        }),
      ],
      configurations: {
        pid_sd_jwt: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', scope: 'pid' },
        other: { format: 'dc+sd-jwt', vct: 'urn:example:other', scope: 'other' },
      },
    })
  })
  afterAll(() => r.close())

  const receive = async (configurationId: string) => {
    const wallet = walletFor(r, { formats: [sdJwtVcFormat({ issuerKeys: { keys: [signer.publicJwk] } })] })
    const { link } = await r.issuer.createOffer({ configurationIds: [configurationId] })
    return wallet.receiveOffer(link, { count: 2, configurationId })
  }

  it('§2.2.2.3 every credential of a configuration carries its vct#integrity, never disclosable', async () => {
    const res = await receive('pid_sd_jwt')
    for (const c of res.credentials) {
      const d = decodeSdJwt(String(c.credential))
      expect(d.jwt.payload['vct#integrity']).toBe(INTEGRITY)
      expect(d.disclosures.map((x) => x.name)).not.toContain('vct#integrity')
    }
    expect(res.credentials[0]?.claims?.given_name).toBe(PID_CLAIMS.given_name)
  })

  it('§5 a verifier with the published bytes checks them; other bytes fail the integrity check', async () => {
    const vc = String((await receive('pid_sd_jwt')).credentials[0]?.credential)
    const issuerKeys = { keys: [signer.publicJwk] }
    const ok = await verifySdJwtVc(vc, {
      issuerKeys,
      typeMetadata: { registry: new Map([['urn:eudi:pid:1', BYTES]]), required: true },
    })
    expect(ok.typeMetadata?.chain[0]?.vct).toBe('urn:eudi:pid:1')
    const tampered = typeMetadataBytes({ ...TYPE_METADATA, name: 'Something else' })
    await expect(
      verifySdJwtVc(vc, { issuerKeys, typeMetadata: { registry: new Map([['urn:eudi:pid:1', tampered]]) } }),
    ).rejects.toMatchObject({ code: 'sd_jwt_vc.type_metadata_integrity' })
  })

  it('a configuration the function leaves out carries no vct#integrity', async () => {
    const res = await receive('other')
    expect(decodeSdJwt(String(res.credentials[0]?.credential)).jwt.payload).not.toHaveProperty('vct#integrity')
  })

  for (const [what, value] of [
    ['a hex digest', `sha256-${'ab'.repeat(32)}`],
    ['a base64url digest', INTEGRITY.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['an unknown algorithm', `md5-${INTEGRITY.slice(7)}`],
    ['an empty string', ''],
  ] as const) {
    it(`§5 refuses ${what} as vctIntegrity when the adapter is built`, () => {
      expect(() => sdJwtVcFormat({ signer, vctIntegrity: value })).toThrow(
        expect.objectContaining({ code: 'openid4vci.config_invalid' }),
      )
    })
  }

  it('§5 accepts several alternatives (SRI), and refuses a bad one returned per configuration before signing', async () => {
    const other = documentIntegrity(BYTES, 'sha384')
    expect(() => sdJwtVcFormat({ signer, vctIntegrity: `${INTEGRITY} ${other}` })).not.toThrow()
    const f = sdJwtVcFormat({ signer, vctIntegrity: () => 'sha256-nope' })
    await expect(
      f.issueBatch?.({
        issuer: r.url,
        configurationId: 'pid_sd_jwt',
        configuration: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1' },
        claims: PID_CLAIMS,
        entries: [{ holderKey: signer.publicJwk }],
        clock: { now: () => Date.now() },
      }),
    ).rejects.toMatchObject({ code: 'openid4vci.config_invalid' })
  })
})
