import type { StatusChecker } from '@bonafide/core'
import { createDidKey } from '@bonafide/did'
import { createJwtVp, issueJwtVc } from '@bonafide/jwt-vc'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { describe, expect, it } from 'vitest'
import { parseDcqlQuery } from '../src/dcql/index.js'
import { jwtVcJsonValidator } from '../src/formats/jwt-vc-json.js'
import { MemoryNonceGuard, validateVpToken } from '../src/index.js'

const CLIENT = 'x509_san_dns:client.example.org'
const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
const ISS = 'https://example.gov/issuers/565049'
const subject = { given_name: 'Max', family_name: 'Mustermann', birthdate: '1998-01-11' }
const revokedOnly: StatusChecker = { check: async () => ({ state: 'invalid', value: 1 }) }

// OpenID4VP 1.0 B.1.3.1.4 query.
const query = (over: object = {}) => ({
  credentials: [
    {
      id: 'example_jwt_vc',
      format: 'jwt_vc_json',
      meta: { type_values: [['IDCredential']] },
      claims: [{ path: ['credentialSubject', 'family_name'] }, { path: ['credentialSubject', 'given_name'] }],
      ...over,
    },
  ],
})

async function holderAndVc(version: '1.1' | '2.0' = '1.1', extra: object = {}) {
  const holder = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
  const did = createDidKey(holder.publicJwk)
  const vc = await issueJwtVc({
    signer: issuer,
    issuer: ISS,
    version,
    credential: { type: ['VerifiableCredential', 'IDCredential'], credentialSubject: subject },
    subjectId: did,
    ...extra,
  })
  return { holder, did, vc }
}

const validator = jwtVcJsonValidator({ issuerKeys: { keys: [issuer.publicJwk] }, versions: ['1.1', '2.0'] })
let n = 0
const run = (dcql: unknown, vpToken: unknown, nonce: string, validators = [validator]) =>
  validateVpToken({
    dcql: parseDcqlQuery(dcql),
    vpToken,
    validators,
    clientId: CLIENT,
    nonce,
    nonceGuard: new MemoryNonceGuard(),
  })

describe('jwt_vc_json presentations (OpenID4VP 1.0 B.1.3.1)', () => {
  for (const version of ['1.1', '2.0'] as const) {
    it(`B.1.3.1.5 a VP (VCDM ${version}) with nonce and aud = client_id satisfies the B.1.3.1.4 query`, async () => {
      const nonce = `n-${n++}`
      const { holder, did, vc } = await holderAndVc(version)
      const vp = await createJwtVp({ signer: holder, holder: did, version, credentials: [vc], audience: CLIENT, nonce })
      const r = await run(query(), { example_jwt_vc: [vp] }, nonce)
      expect(r.valid).toBe(true)
      expect(r.credentials[0]?.claims[0]).toMatchObject({ credentialSubject: { ...subject, id: did }, issuer: ISS })
    })
  }

  it('B.1.3.1.5 rejects a VP with another nonce or aud', async () => {
    const { holder, did, vc } = await holderAndVc()
    const vp = await createJwtVp({ signer: holder, holder: did, credentials: [vc], audience: CLIENT, nonce: 'old' })
    expect((await run(query(), { example_jwt_vc: [vp] }, 'fresh')).error?.code).toBe('jwt_vc.nonce_mismatch')
    const other = await createJwtVp({
      signer: holder,
      holder: did,
      credentials: [vc],
      audience: 'x509_san_dns:evil.example',
      nonce: 'n2',
    })
    expect((await run(query(), { example_jwt_vc: [other] }, 'n2')).error?.code).toBe('jwt_vc.aud_mismatch')
  })

  it('§6.1 meta.type_values and claims are re-checked against the verified credential', async () => {
    const { holder, did, vc } = await holderAndVc()
    const mk = (nonce: string) => createJwtVp({ signer: holder, holder: did, credentials: [vc], audience: CLIENT, nonce })
    expect(
      (await run(query({ meta: { type_values: [['DriverLicense']] } }), { example_jwt_vc: [await mk('a')] }, 'a')).error?.code,
    ).toBe('openid4vp.meta_mismatch')
    expect(
      (await run(query({ claims: [{ path: ['credentialSubject', 'nationality'] }] }), { example_jwt_vc: [await mk('b')] }, 'b'))
        .error?.code,
    ).toBe('openid4vp.claims_not_disclosed')
  })

  it('holder binding: a VP signed by another holder is refused', async () => {
    const { vc } = await holderAndVc()
    const mallory = signerFromPrivateJwk(generatePrivateJwk('EdDSA'))
    const vp = await createJwtVp({
      signer: mallory,
      holder: createDidKey(mallory.publicJwk),
      credentials: [vc],
      audience: CLIENT,
      nonce: 'm',
    })
    expect((await run(query(), { example_jwt_vc: [vp] }, 'm')).error?.code).toBe('jwt_vc.holder_binding_mismatch')
  })

  it('a bare credential only when require_cryptographic_holder_binding is false; never a non-string', async () => {
    const { vc } = await holderAndVc()
    expect((await run(query(), { example_jwt_vc: [vc] }, 'c1')).valid).toBe(false)
    expect((await run(query({ require_cryptographic_holder_binding: false }), { example_jwt_vc: [vc] }, 'c2')).valid).toBe(true)
    expect((await run(query(), { example_jwt_vc: [{ vp: 'x' }] }, 'c3')).error?.code).toBe('openid4vp.format_mismatch')
  })

  it('a revoked credential is reported as revoked; a VP with two credentials is refused', async () => {
    const { holder, did, vc } = await holderAndVc('1.1', {
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '1',
        statusListCredential: 'https://example.gov/s/1',
      },
    })
    const withStatus = jwtVcJsonValidator({ issuerKeys: { keys: [issuer.publicJwk] }, statusChecker: revokedOnly })
    const vp = await createJwtVp({ signer: holder, holder: did, credentials: [vc], audience: CLIENT, nonce: 'r' })
    expect((await run(query(), { example_jwt_vc: [vp] }, 'r', [withStatus])).error?.code).toBe('openid4vp.status_revoked')
    const two = await createJwtVp({ signer: holder, holder: did, credentials: [vc, vc], audience: CLIENT, nonce: 't' })
    expect((await run(query(), { example_jwt_vc: [two] }, 't')).error?.code).toBe('openid4vp.vp_token_invalid')
  })
})
