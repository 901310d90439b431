import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { jwtVcDecoder } from '../src/decoders/jwt-vc.js'
import { cli } from './helpers.js'

/** `bonafide vc …` through the registered command. */
function run(args: string[], stdin = '') {
  return cli(['vc', ...args], { stdin })
}

let dir = ''
const f = (n: string) => join(dir, n)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-vc-'))
  expect((await cli(['keygen', '--out', f('issuer.jwk')])).code).toBe(0)
  expect((await cli(['keygen', '--alg', 'EdDSA', '--out', f('holder.jwk')])).code).toBe(0)
  await writeFile(f('claims.json'), JSON.stringify({ given_name: 'Max', family_name: 'Mustermann' }))
})

const issue = (...extra: string[]) =>
  run(['issue', '--issuer-key', f('issuer.jwk'), '--claims', f('claims.json'), '--type', 'IDCredential', ...extra])

describe('bonafide vc issue | present | verify', () => {
  for (const version of ['1.1', '2.0']) {
    it(`VCDM ${version}: a did:jwk issuer, a did:key holder, presented and verified with aud and nonce`, async () => {
      const cred = await issue(
        '--issuer',
        'did:jwk',
        '--vc-version',
        version,
        '--holder-key',
        f('holder.jwk'),
        '--subject-did',
        'did:key',
        '--exp',
        '3600',
      )
      expect(cred.code).toBe(0)
      const token = cred.out.trim()
      const v = await run(['verify', token, '--did'])
      expect(v.code).toBe(0)
      expect(JSON.parse(v.out)).toMatchObject({ valid: true, version, types: ['VerifiableCredential', 'IDCredential'] })
      const vp = await run([
        'present',
        token,
        '--holder-key',
        f('holder.jwk'),
        '--holder',
        'did:key',
        '--aud',
        'verifier',
        '--nonce',
        'n-1',
        '--vc-version',
        version,
      ])
      expect(vp.code).toBe(0)
      const ok = await run(['verify', '-', '--did', '--aud', 'verifier', '--nonce', 'n-1'], vp.out)
      expect(ok.code).toBe(0)
      expect(JSON.parse(ok.out).credentials[0].credential.credentialSubject.given_name).toBe('Max')
      const bad = await run(['verify', vp.out.trim(), '--did', '--aud', 'verifier', '--nonce', 'n-2'])
      expect(bad.code).toBe(1)
      expect(JSON.parse(bad.out).error.code).toBe('jwt_vc.nonce_mismatch')
      expect(jwtVcDecoder.decode(vp.out.trim())).toContain('W3C Verifiable Presentation')
    })
  }

  it('verify reports an expired credential and an untrusted key (exit 1), and bad usage (exit 2)', async () => {
    const token = (await issue('--issuer', 'https://issuer.example', '--exp', '60')).out.trim()
    const later = Math.floor(Date.now() / 1000) + 3600
    const expired = await run(['verify', token, '--issuer-key', f('issuer.jwk'), '--now', String(later)])
    expect(expired.code).toBe(1)
    expect(JSON.parse(expired.out).error.code).toBe('jwt_vc.expired')
    const other = await run(['verify', token, '--issuer-key', f('holder.jwk')])
    expect(JSON.parse(other.out).error.code).toBe('jwt_vc.signature_invalid')
    expect((await run(['verify', token])).code).toBe(2)
    expect((await issue('--issuer', 'https://issuer.example', '--vc-version', '3.0')).code).toBe(2)
  })

  it('issues a batch with one holder key and status index each', async () => {
    const keys = await Promise.all([1, 2, 3].map(async () => JSON.parse((await cli(['keygen'])).out)))
    await writeFile(f('holders.json'), JSON.stringify(keys))
    const r = await issue(
      '--issuer',
      'https://issuer.example',
      '--holder-key',
      f('holders.json'),
      '--batch',
      '3',
      '--status-list',
      'https://issuer.example/status/1',
      '--status-index',
      '40',
    )
    expect(r.code).toBe(0)
    const lines = r.out.trim().split('\n')
    expect(lines).toHaveLength(3)
    const decoded = lines.map((l) => jwtVcDecoder.decode(l) as string)
    expect(decoded[2]).toContain('"statusListIndex": "42"')
    expect(decoded[0]).toContain('W3C Verifiable Credential (VCDM 1.1')
  })

  it('the decoder leaves other JWTs to other decoders', async () => {
    const { out } = await cli(['keygen'])
    expect(jwtVcDecoder.decode(out.trim())).toBeUndefined()
    expect(jwtVcDecoder.decode('eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.AAAA')).toBeUndefined()
  })
})

/** A W3C credentialSchema (VC JSON Schema, type JsonSchema): it constrains the credential, subject claims under credentialSubject. */
const ID_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://issuer.example/schemas/id.json',
  type: 'object',
  required: ['type', 'issuer', 'credentialSubject'],
  properties: {
    type: { type: 'array', contains: { const: 'IDCredential' } },
    credentialSubject: {
      type: 'object',
      required: ['given_name', 'family_name'],
      properties: {
        given_name: { type: 'string' },
        family_name: { type: 'string' },
        birthdate: { type: 'string', format: 'date' },
      },
    },
  },
}

it('vc issue --schema: a credential that satisfies its credentialSchema is issued and names it', async () => {
  await writeFile(f('id.schema.json'), JSON.stringify(ID_SCHEMA))
  for (const version of ['1.1', '2.0']) {
    const r = await issue('--issuer', 'https://issuer.example', '--vc-version', version, '--schema', f('id.schema.json'))
    expect(r.code).toBe(0)
    const decoded = jwtVcDecoder.decode(r.out.trim()) as string
    expect(decoded).toContain('"credentialSchema"')
    expect(decoded).toContain('https://issuer.example/schemas/id.json')
  }
})

it('vc issue --schema: a credential that breaks it is not signed, the failing fields are reported (exit 1)', async () => {
  const strict = {
    ...ID_SCHEMA,
    properties: {
      ...ID_SCHEMA.properties,
      type: { type: 'array', contains: { const: 'DiplomaCredential' } },
      credentialSubject: { ...ID_SCHEMA.properties.credentialSubject, required: ['birthdate'] },
    },
  }
  await writeFile(f('strict.schema.json'), JSON.stringify(strict))
  const r = await issue('--issuer', 'https://issuer.example', '--schema', f('strict.schema.json'))
  expect(r.code).toBe(1)
  expect(r.out).toBe('')
  expect(r.err).toContain('/credentialSubject/birthdate')
  expect(r.err).toContain('/type')
  expect(r.err).not.toContain('Mustermann')
  // a batch is refused as a whole: nothing of it is printed
  const b = await issue('--issuer', 'https://issuer.example', '--batch', '3', '--schema', f('strict.schema.json'))
  expect(b.code).toBe(1)
  expect(b.out).toBe('')
  expect(b.err).toContain('/credentialSubject/birthdate')
})

it('vc issue --schema: an unusable schema is bad usage (exit 2)', async () => {
  await writeFile(f('bad.schema.json'), '{"type": ')
  expect((await issue('--issuer', 'https://issuer.example', '--schema', f('bad.schema.json'))).code).toBe(2)
  expect((await issue('--issuer', 'https://issuer.example', '--schema', f('nope.schema.json'))).code).toBe(2)
})
