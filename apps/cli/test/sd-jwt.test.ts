import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

let dir = ''
const f = (n: string) => join(dir, n)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-cli-'))
  expect((await cli(['keygen', '--out', f('issuer.jwk')])).code).toBe(0)
  expect((await cli(['keygen', '--alg', 'EdDSA', '--out', f('holder.jwk')])).code).toBe(0)
  await writeFile(
    f('claims.json'),
    JSON.stringify({
      given_name: 'Erika',
      address: { street_address: 'Heidestraße 17', locality: 'Köln' },
      nationalities: ['DE', 'NL'],
    }),
  )
})

describe('bonafide keygen', () => {
  it('prints a private JWK with kid = thumbprint', async () => {
    const r = await cli(['keygen', '--alg', 'ES384'])
    const jwk = JSON.parse(r.out)
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384' })
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await cli(['keygen', '--alg', 'HS256'])).code).toBe(2)
  })
})

describe('bonafide sd-jwt issue | present | verify', () => {
  const issue = (...extra: string[]) =>
    cli([
      'sd-jwt',
      'issue',
      '--issuer-key',
      f('issuer.jwk'),
      '--iss',
      'https://issuer.example',
      '--vct',
      'urn:eudi:pid:1',
      '--claims',
      f('claims.json'),
      ...extra,
    ])

  it('round-trips with key binding and exits 0', async () => {
    const vc = (
      await issue('--sd', 'given_name,address.street_address,nationalities.1', '--holder-key', f('holder.jwk'), '--exp', '3600')
    ).out.trim()
    const vp = await cli(
      [
        'sd-jwt',
        'present',
        '-',
        '--disclose',
        'address.street_address',
        '--holder-key',
        f('holder.jwk'),
        '--aud',
        'v',
        '--nonce',
        'n',
      ],
      {
        stdin: vc,
      },
    )
    expect(vp.code).toBe(0)
    const v = await cli([
      'sd-jwt',
      'verify',
      vp.out.trim(),
      '--issuer-key',
      f('issuer.jwk'),
      '--aud',
      'v',
      '--nonce',
      'n',
      '--require-kb',
    ])
    expect(v.code).toBe(0)
    const report = JSON.parse(v.out)
    expect(report.valid).toBe(true)
    expect(report.claims.address).toEqual({ street_address: 'Heidestraße 17', locality: 'Köln' })
    expect(report.claims).not.toHaveProperty('given_name')
    expect(report.claims.nationalities).toEqual(['DE'])
    expect(report.kb.nonce).toBe('n')
  })
  it('prints one credential per line for --batch', async () => {
    const r = await issue('--batch', '3', '--sd', 'given_name')
    expect(r.out.trim().split('\n')).toHaveLength(3)
    expect((await issue('--batch', '3', '--holder-key', f('holder.jwk'))).code).toBe(2)
  })
  it('verify reports invalid with exit 1 and a code', async () => {
    const vc = (await issue('--sd', 'given_name')).out.trim()
    const r = await cli(['sd-jwt', 'verify', vc, '--issuer-key', f('holder.jwk')])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, error: { code: 'sd_jwt.issuer_signature_invalid' } })
    const kb = await cli(['sd-jwt', 'verify', vc, '--issuer-key', f('issuer.jwk'), '--require-kb'])
    expect(JSON.parse(kb.out).error.code).toBe('sd_jwt.kb_required')
    const late = await cli([
      'sd-jwt',
      'verify',
      (await issue('--exp', '10')).out.trim(),
      '--issuer-key',
      f('issuer.jwk'),
      '--now',
      String(Math.floor(Date.now() / 1000) + 3600),
    ])
    expect(JSON.parse(late.out).error.code).toBe('sd_jwt.expired')
  })
  it('bad usage exits 2 with one line, never a stack trace', async () => {
    for (const argv of [
      ['sd-jwt', 'verify', 'x'],
      ['sd-jwt', 'issue', '--iss', 'a'],
      ['sd-jwt', 'frobnicate'],
      ['sd-jwt', 'verify', 'x', '--issuer-key', f('nope.jwk')],
      ['sd-jwt', 'verify', 'x', '--bogus'],
    ]) {
      const r = await cli(argv)
      expect(r.code).toBe(2)
      expect(r.err.trim().split('\n')).toHaveLength(1)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
  })
  it('malformed tokens are invalid (exit 1), not crashes', async () => {
    const r = await cli(['sd-jwt', 'verify', 'not-a-token~', '--issuer-key', f('issuer.jwk')])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).valid).toBe(false)
  })
})

describe('bonafide decode', () => {
  it('shows header, payload, disclosures with digests and paths, and the KB-JWT', async () => {
    const vc = (
      await cli([
        'sd-jwt',
        'issue',
        '--issuer-key',
        f('issuer.jwk'),
        '--iss',
        'https://i',
        '--vct',
        't',
        '--claims',
        f('claims.json'),
        '--sd',
        'address.locality',
        '--holder-key',
        f('holder.jwk'),
      ])
    ).out.trim()
    const vp = (
      await cli([
        'sd-jwt',
        'present',
        vc,
        '--disclose',
        'address.locality',
        '--holder-key',
        f('holder.jwk'),
        '--aud',
        'a',
        '--nonce',
        'n',
      ])
    ).out.trim()
    const r = await cli(['decode', vp])
    expect(r.code).toBe(0)
    expect(r.out).toContain('SD-JWT+KB (compact, not verified)')
    expect(r.out).toContain('address.locality = "Köln"')
    expect(r.out).toMatch(/digest [A-Za-z0-9_-]{43}/)
    expect(r.out).toContain('"typ":"kb+jwt"')
  })
  it('decodes a plain JWT, and refuses garbage with one line', async () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
    expect((await cli(['decode', jwt])).out).toContain('"sub": "x"')
    const bad = await cli(['decode', 'hello world'])
    expect(bad.code).toBe(1)
    expect(bad.err.trim().split('\n')).toHaveLength(1)
    const broken = await cli(['decode', 'eyJhbGciOiJFUzI1NiJ9.!!!.x~'])
    expect(broken.code).toBeGreaterThan(0)
    expect(broken.err).not.toMatch(/\n\s+at /)
  })
})

describe('bonafide demo', () => {
  it('issues a batch, presents one, verifies it', async () => {
    const r = await cli(['demo'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('batch of 5 credentials')
    expect(r.out).toContain('valid: issuer https://issuer.example')
    expect(r.out).toContain('rejected (sd_jwt.kb_nonce_mismatch)')
    expect(r.out).not.toContain('LEAKED')
  })
})

const PID_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['given_name', 'nationalities'],
  properties: {
    given_name: { type: 'string' },
    nationalities: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}$' } },
    address: { type: 'object', properties: { street_address: { type: 'string' }, locality: { type: 'string' } } },
  },
}
const issueWithSchema = (schema: string) =>
  cli([
    'sd-jwt',
    'issue',
    '--issuer-key',
    f('issuer.jwk'),
    '--iss',
    'https://issuer.example',
    '--vct',
    'urn:eudi:pid:1',
    '--claims',
    f('claims.json'),
    '--schema',
    schema,
  ])

it('sd-jwt issue --schema: claims that satisfy the JSON Schema are issued', async () => {
  await writeFile(f('pid.schema.json'), JSON.stringify(PID_SCHEMA))
  const r = await issueWithSchema(f('pid.schema.json'))
  expect(r.code).toBe(0)
  expect(r.out.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+~/)
})

it('sd-jwt issue --schema: claims that break it are not signed, every failing field is reported (exit 1)', async () => {
  const strict = {
    ...PID_SCHEMA,
    required: ['given_name', 'family_name', 'nationalities'],
    properties: {
      ...PID_SCHEMA.properties,
      nationalities: { type: 'array', maxItems: 1 },
      address: { type: 'object', required: ['postal_code'], properties: { locality: { type: 'integer' } } },
    },
  }
  await writeFile(f('strict.schema.json'), JSON.stringify(strict))
  const r = await issueWithSchema(f('strict.schema.json'))
  expect(r.code).toBe(1)
  expect(r.out).toBe('')
  for (const path of ['/family_name', '/nationalities', '/address/postal_code', '/address/locality'])
    expect(r.err).toContain(path)
  expect(r.err).toContain('invalid: 4 errors')
  // paths and reasons, never the values
  expect(r.err).not.toContain('Köln')
})

it('sd-jwt issue --schema: an unusable schema is bad usage (exit 2)', async () => {
  await writeFile(f('draft7.schema.json'), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#' }))
  await writeFile(f('remote.schema.json'), JSON.stringify({ $ref: 'https://schemas.example/pid.json' }))
  expect((await issueWithSchema(f('draft7.schema.json'))).code).toBe(2)
  expect((await issueWithSchema(f('remote.schema.json'))).code).toBe(2)
  expect((await issueWithSchema(f('missing.schema.json'))).code).toBe(2)
})
