/**
 * `bonafide anoncreds`: the whole AnonCreds v1 flow from a terminal, through files (issuer setup, credential
 * issuance, present proof, verify proof as the AnonCreds v1 specification orders them), and the verifier's exit codes.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

const ISSUER = 'did:web:issuer.example'
const SCHEMA_ID = 'did:web:issuer.example/anoncreds/schema/membership/1.0'
const CRED_DEF_ID = 'did:web:issuer.example/anoncreds/cred-def/membership/default'

describe('bonafide anoncreds', () => {
  let dir: string
  const f = (name: string) => join(dir, name)
  const ok = async (argv: string[], out?: string) => {
    const r = await cli(['anoncreds', ...argv])
    expect(r.code, r.err).toBe(0)
    if (out) await writeFile(f(out), r.out)
    return r.out
  }
  const verifyArgs = (proof = 'presentation.json') => [
    'verify',
    '--proof',
    f(proof),
    '--request',
    f('proof-request.json'),
    '--schemas',
    f('schemas.json'),
    '--cred-defs',
    f('cred-defs.json'),
  ]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-anoncreds-cli-'))
    await ok(
      ['schema', '--name', 'membership', '--version', '1.0', '--issuer', ISSUER, '--attrs', 'name,level,age'],
      'schema.json',
    )
    const made = JSON.parse(
      await ok([
        'cred-def',
        '--schema',
        f('schema.json'),
        '--schema-id',
        SCHEMA_ID,
        '--issuer',
        ISSUER,
        '--private-out',
        f('private.json'),
      ]),
    )
    await writeFile(f('cred-def.json'), JSON.stringify(made.credentialDefinition))
    await writeFile(f('key-proof.json'), JSON.stringify(made.keyCorrectnessProof))
    await ok(['offer', '--schema-id', SCHEMA_ID, '--cred-def-id', CRED_DEF_ID, '--key-proof', f('key-proof.json')], 'offer.json')
    await ok(['link-secret'], 'link-secret.txt')
    await ok(
      [
        'request',
        '--offer',
        f('offer.json'),
        '--cred-def',
        f('cred-def.json'),
        '--link-secret',
        f('link-secret.txt'),
        '--metadata-out',
        f('meta.json'),
      ],
      'request.json',
    )
    await writeFile(f('values.json'), JSON.stringify({ name: 'Alice', level: 'gold', age: '28' }))
    await ok(
      [
        'issue',
        '--cred-def',
        f('cred-def.json'),
        '--private',
        f('private.json'),
        '--offer',
        f('offer.json'),
        '--request',
        f('request.json'),
        '--values',
        f('values.json'),
      ],
      'credential.json',
    )
    const processed = await ok([
      'process',
      '--credential',
      f('credential.json'),
      '--metadata',
      f('meta.json'),
      '--link-secret',
      f('link-secret.txt'),
      '--cred-def',
      f('cred-def.json'),
    ])
    await writeFile(f('credentials.json'), `[${processed}]`)
    await writeFile(
      f('proof-request.json'),
      JSON.stringify({
        name: 'proof',
        version: '1.0',
        nonce: '982734598273459827345',
        requested_attributes: { name: { name: 'name', restrictions: [{ cred_def_id: CRED_DEF_ID }] } },
        requested_predicates: { adult: { name: 'age', p_type: '>=', p_value: 18 } },
      }),
    )
    await writeFile(
      f('requested.json'),
      JSON.stringify({
        requested_attributes: { name: { cred_id: 0, revealed: true } },
        requested_predicates: { adult: { cred_id: 0 } },
      }),
    )
    await writeFile(f('schemas.json'), JSON.stringify({ [SCHEMA_ID]: JSON.parse(await readFile(f('schema.json'), 'utf8')) }))
    await writeFile(f('cred-defs.json'), JSON.stringify({ [CRED_DEF_ID]: made.credentialDefinition }))
    await ok(
      [
        'present',
        '--request',
        f('proof-request.json'),
        '--credentials',
        f('credentials.json'),
        '--requested',
        f('requested.json'),
        '--link-secret',
        f('link-secret.txt'),
        '--schemas',
        f('schemas.json'),
        '--cred-defs',
        f('cred-defs.json'),
      ],
      'presentation.json',
    )
  }, 180_000)

  it('the flow from files ends in a presentation that verifies: {"valid":true}, exit 0; the private part is written 0600', async () => {
    const r = await cli(['anoncreds', ...verifyArgs()])
    expect([r.code, r.out.trim()]).toEqual([0, '{"valid":true}'])
    expect((await stat(f('private.json'))).mode & 0o777).toBe(0o600)
  })

  it('a changed revealed value is invalid with the reason, exit 1', async () => {
    const p = JSON.parse(await readFile(f('presentation.json'), 'utf8'))
    p.requested_proof.revealed_attrs.name.raw = 'Mallory'
    await writeFile(f('tampered.json'), JSON.stringify(p))
    const r = await cli(['anoncreds', ...verifyArgs('tampered.json')])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, code: 'anoncreds.encoding_mismatch' })
  })

  it('a malformed presentation is invalid (exit 1); missing or unreadable files are bad usage (exit 2)', async () => {
    await writeFile(f('garbage.json'), '{"proof": 1}')
    const bad = await cli(['anoncreds', ...verifyArgs('garbage.json')])
    expect([bad.code, JSON.parse(bad.out).valid]).toEqual([1, false])
    expect((await cli(['anoncreds', 'verify', '--proof', f('presentation.json')])).code).toBe(2)
    expect((await cli(['anoncreds', ...verifyArgs('nope.json')])).code).toBe(2)
    expect((await cli(['anoncreds', 'verify', '--bogus'])).code).toBe(2)
    expect((await cli(['anoncreds'])).code).toBe(2)
  })
})
