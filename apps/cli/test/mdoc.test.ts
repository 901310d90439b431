import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDocumentSigner, createIacaRoot } from '@bonafide/mdoc'
import { vectorsPath } from '@bonafide/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

let dir = ''
const f = (n: string) => join(dir, n)
const NS = 'org.iso.18013.5.1'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-mdoc-'))
  const iaca = await createIacaRoot({ country: 'NL' })
  const ds = await createDocumentSigner(iaca)
  await writeFile(f('iaca.pem'), iaca.pem)
  await writeFile(f('ds.pem'), ds.pem)
  await writeFile(f('ds.jwk'), JSON.stringify(ds.key.export({ format: 'jwk' })))
  await cli(['keygen', '--out', f('holder.jwk')])
  await writeFile(
    f('claims.json'),
    JSON.stringify({ [NS]: { family_name: 'Mustermann', given_name: 'Erika', birth_date: '1964-08-12', age_over_18: true } }),
  )
})

describe('bonafide mdoc issue | present | verify', () => {
  it('round-trips over the OpenID4VP transcript and reports claims by namespace', async () => {
    const issued = await cli([
      'mdoc',
      'issue',
      '--issuer-key',
      f('ds.jwk'),
      '--issuer-cert',
      f('ds.pem'),
      '--doctype',
      'org.iso.18013.5.1.mDL',
      '--claims',
      f('claims.json'),
      '--holder-key',
      f('holder.jwk'),
    ])
    expect(issued.code).toBe(0)
    const t = ['--client-id', 'x509_san_dns:v.example', '--nonce', 'n-1', '--response-uri', 'https://v.example/post']
    const dr = await cli(
      ['mdoc', 'present', '-', '--holder-key', f('holder.jwk'), '--disclose', `${NS}/age_over_18,${NS}/given_name`, ...t],
      { stdin: issued.out },
    )
    expect(dr.code).toBe(0)
    const v = await cli(['mdoc', 'verify', dr.out.trim(), '--trust-anchor', f('iaca.pem'), ...t])
    expect(v.code).toBe(0)
    const report = JSON.parse(v.out)
    expect(report).toMatchObject({
      valid: true,
      docType: 'org.iso.18013.5.1.mDL',
      claims: { [NS]: { age_over_18: true, given_name: 'Erika' } },
    })
    const wrong = await cli([
      'mdoc',
      'verify',
      dr.out.trim(),
      '--trust-anchor',
      f('iaca.pem'),
      '--client-id',
      'x509_san_dns:v.example',
      '--nonce',
      'other',
      '--response-uri',
      'https://v.example/post',
    ])
    expect(wrong.code).toBe(1)
    expect(JSON.parse(wrong.out).error.code).toBe('mdoc.device_signature_invalid')
    const iss = await cli(['mdoc', 'verify', issued.out.trim(), '--trust-anchor', f('iaca.pem')])
    expect(JSON.parse(iss.out).claims[NS].birth_date).toBe('1964-08-12')
    const decoded = await cli(['decode', dr.out.trim()])
    expect(decoded.out).toContain('mdoc DeviceResponse (not verified)')
    expect(decoded.out).toContain('given_name = "Erika"')
  })
  it('bad usage exits 2; malformed input is invalid (exit 1)', async () => {
    expect((await cli(['mdoc', 'verify', 'abcd', '--trust-anchor', f('iaca.pem'), '--origin', 'https://x'])).code).toBe(2)
    expect(
      (
        await cli([
          'mdoc',
          'present',
          'abcd',
          '--holder-key',
          f('holder.jwk'),
          '--disclose',
          'nope',
          '--origin',
          'o',
          '--nonce',
          'n',
        ])
      ).code,
    ).toBe(2)
    const bad = await cli(['mdoc', 'verify', 'a2ff', '--trust-anchor', f('iaca.pem')])
    expect(bad.code).toBe(1)
  })
  const v = vectorsPath('mdoc')
  it.skipIf(!v)('decode prints the ISO Annex D DeviceResponse', async () => {
    const vectors = JSON.parse(await readFile(join(v!, 'real-world-device-responses.json'), 'utf8'))
    const r = await cli(['decode', vectors['iso-18013-5-annex-d-device-response'].deviceResponse])
    expect(r.code).toBe(0)
    expect(r.out).toContain('docType: org.iso.18013.5.1.mDL')
  })
})
