/**
 * `bonafide anoncreds` revocation from a terminal, through files (AnonCreds v1 §Issuer Create and Publish Revocation
 * Registry Objects, §Revoking credentials, §Holder Create and Update Witness, §Request Non-Revocation Proofs): a
 * revocable credential definition, a registry with its tails file, a status list, a revocable credential, the
 * holder's revocation state, a presentation with a non-revocation proof that verifies, then revocation.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

const ISSUER = 'did:web:issuer.example'
const SCHEMA_ID = 'did:web:issuer.example/anoncreds/schema/membership/1.0'
const CRED_DEF_ID = 'did:web:issuer.example/anoncreds/cred-def/membership/revocable'
const REV_REG_ID = 'did:web:issuer.example/anoncreds/rev-reg/membership/1'
const MAX = 10
const T0 = 1_700_000_000
const T1 = T0 + 600
const T2 = T0 + 1200

describe('bonafide anoncreds — revocation', () => {
  let dir: string
  let tailsPath: string
  const f = (name: string) => join(dir, name)
  const read = async (name: string) => JSON.parse(await readFile(f(name), 'utf8'))
  const run = (argv: string[]) => cli(['anoncreds', ...argv])
  const ok = async (argv: string[], out?: string) => {
    const r = await run(argv)
    expect(r.code, r.err).toBe(0)
    if (out) await writeFile(f(out), r.out)
    return r.out
  }
  const registry = () => [
    '--cred-def',
    f('cred-def.json'),
    '--rev-reg-def',
    f('rev-reg-def.json'),
    '--private',
    f('rev-private.json'),
  ]
  const updateArgs = (cmd: 'revoke' | 'unrevoke', list: string, ...rest: string[]) => [
    cmd,
    ...registry(),
    '--status-list',
    f(list),
    ...rest,
  ]
  const revStateArgs = (list: string, ...rest: string[]) => [
    'rev-state',
    '--rev-reg-def',
    f('rev-reg-def.json'),
    '--status-list',
    f(list),
    '--index',
    '1',
    '--tails',
    tailsPath,
    ...rest,
  ]
  const proofRequest = async (name: string, nonRevoked: { from?: number; to?: number }) =>
    writeFile(
      f(name),
      JSON.stringify({
        name: 'proof',
        version: '1.0',
        nonce: '982734598273459827345',
        requested_attributes: { name: { name: 'name', restrictions: [{ cred_def_id: CRED_DEF_ID }] } },
        requested_predicates: { adult: { name: 'age', p_type: '>=', p_value: 18 } },
        non_revoked: nonRevoked,
      }),
    )
  const presentArgs = (req: string, states: string, ...rest: string[]) => [
    'present',
    '--request',
    f(req),
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
    '--rev-states',
    f(states),
    ...rest,
  ]
  const verifyArgs = (proof: string, req: string, lists: string) => [
    'verify',
    '--proof',
    f(proof),
    '--request',
    f(req),
    '--schemas',
    f('schemas.json'),
    '--cred-defs',
    f('cred-defs.json'),
    '--rev-reg-defs',
    f('rev-reg-defs.json'),
    '--rev-status-lists',
    f(lists),
  ]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bonafide-anoncreds-rev-cli-'))
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
        '--revocable',
        '--private-out',
        f('private.json'),
      ]),
    )
    await writeFile(f('cred-def.json'), JSON.stringify(made.credentialDefinition))
    await writeFile(f('key-proof.json'), JSON.stringify(made.keyCorrectnessProof))
    // the issuer's registry, its tails file and first status list (every index issued)
    await ok(
      [
        'rev-reg',
        '--cred-def',
        f('cred-def.json'),
        '--cred-def-id',
        CRED_DEF_ID,
        '--issuer',
        ISSUER,
        '--max',
        String(MAX),
        '--tails-dir',
        f('tails'),
        '--private-out',
        f('rev-private.json'),
      ],
      'rev-reg-def.json',
    )
    tailsPath = (await read('rev-reg-def.json')).value.tailsLocation
    await ok(
      [
        'status-list',
        ...registry().slice(0, 4),
        '--rev-reg-def-id',
        REV_REG_ID,
        '--private',
        f('rev-private.json'),
        '--timestamp',
        String(T0),
        '--issuance-by-default',
      ],
      'list0.json',
    )
    // issuance of a revocable credential at index 1
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
        '--rev-reg-def',
        f('rev-reg-def.json'),
        '--rev-reg-def-id',
        REV_REG_ID,
        '--rev-private',
        f('rev-private.json'),
        '--status-list',
        f('list0.json'),
        '--index',
        '1',
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
      '--rev-reg-def',
      f('rev-reg-def.json'),
    ])
    await writeFile(f('credentials.json'), `[${processed}]`)
    // the holder's revocation state at T0
    await ok(revStateArgs('list0.json'), 'state0.json')
    await writeFile(f('states0.json'), `[${await readFile(f('state0.json'), 'utf8')}]`)
    await writeFile(
      f('requested.json'),
      JSON.stringify({
        requested_attributes: { name: { cred_id: 0, revealed: true } },
        requested_predicates: { adult: { cred_id: 0 } },
      }),
    )
    await writeFile(f('schemas.json'), JSON.stringify({ [SCHEMA_ID]: await read('schema.json') }))
    await writeFile(f('cred-defs.json'), JSON.stringify({ [CRED_DEF_ID]: made.credentialDefinition }))
    await writeFile(f('rev-reg-defs.json'), JSON.stringify({ [REV_REG_ID]: await read('rev-reg-def.json') }))
    await writeFile(f('lists0.json'), `[${await readFile(f('list0.json'), 'utf8')}]`)
  }, 180_000)

  it('writes the registry objects as anoncreds-rs shapes them; the private parts 0600, the tails file in --tails-dir', async () => {
    const def = await read('rev-reg-def.json')
    expect(def).toMatchObject({ revocDefType: 'CL_ACCUM', credDefId: CRED_DEF_ID, issuerId: ISSUER, tag: 'default' })
    expect(def.value.maxCredNum).toBe(MAX)
    expect(tailsPath).toBe(join(f('tails'), def.value.tailsHash))
    expect((await stat(tailsPath)).size).toBe(2 + 128 * (2 * MAX + 1))
    expect((await stat(f('rev-private.json'))).mode & 0o777).toBe(0o600)
    expect((await stat(f('private.json'))).mode & 0o777).toBe(0o600)
    expect((await read('cred-def.json')).value.revocation).toBeTruthy()
    const list0 = await read('list0.json')
    expect(list0).toMatchObject({ revRegDefId: REV_REG_ID, issuerId: ISSUER, timestamp: T0 })
    expect(list0.revocationList).toEqual(new Array(MAX).fill(0))
    const cred = (await read('credentials.json'))[0]
    expect(cred.rev_reg_id).toBe(REV_REG_ID)
    expect(cred.signature.r_credential.i).toBe(1)
    expect((await read('state0.json')).timestamp).toBe(T0)
    // the output is JSON with a 2-space indent
    expect(await readFile(f('rev-reg-def.json'), 'utf8')).toMatch(/^\{\n {2}"/)
  })

  it('present with a non-revocation proof → verify: {"valid":true}, exit 0', async () => {
    await proofRequest('req0.json', { from: T0, to: T0 + 60 })
    await ok(presentArgs('req0.json', 'states0.json', '--rev-reg-defs', f('rev-reg-defs.json')), 'before.json')
    const p = await read('before.json')
    expect(p.identifiers[0]).toMatchObject({ rev_reg_id: REV_REG_ID, timestamp: T0 })
    expect(p.proof.proofs[0].non_revoc_proof).toBeTruthy()
    const r = await run(verifyArgs('before.json', 'req0.json', 'lists0.json'))
    expect([r.code, r.out.trim()]).toEqual([0, '{"valid":true}'])
  })

  it('revoke → the state is updated; the holder refuses (exit 1, the code), a proof fails; unrevoke → verifies again', async () => {
    await ok(updateArgs('revoke', 'list0.json', '--index', '1', '--timestamp', String(T1)), 'list1.json')
    const list1 = await read('list1.json')
    expect(list1.revocationList.slice(0, 3)).toEqual([0, 1, 0])
    expect(list1.timestamp).toBe(T1)
    expect(list1.currentAccumulator).not.toBe((await read('list0.json')).currentAccumulator)
    await ok(revStateArgs('list1.json', '--previous', f('state0.json'), '--previous-list', f('list0.json')), 'state1.json')
    // an update equals a fresh state from the new list
    expect(await read('state1.json')).toEqual(JSON.parse(await ok(revStateArgs('list1.json'))))
    await writeFile(f('states1.json'), `[${await readFile(f('state1.json'), 'utf8')}]`)
    await writeFile(f('lists01.json'), JSON.stringify([await read('list0.json'), list1]))
    await writeFile(f('lists1.json'), JSON.stringify([list1]))
    await proofRequest('req1.json', { from: T1 })

    // the holder, given the registry definitions, refuses to present a revoked credential: exit 1 with the code
    const refused = await run(presentArgs('req1.json', 'states1.json', '--rev-reg-defs', f('rev-reg-defs.json')))
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('anoncreds.credential_revoked')
    // without them the presentation is made, and the verifier rejects it
    await ok(presentArgs('req1.json', 'states1.json'), 'revoked.json')
    const bad = await run(verifyArgs('revoked.json', 'req1.json', 'lists01.json'))
    expect([bad.code, JSON.parse(bad.out)]).toEqual([
      1,
      expect.objectContaining({ valid: false, code: 'anoncreds.proof_invalid' }),
    ])

    // the proof made before the revocation, against the new status list: invalid
    const old = await run(verifyArgs('before.json', 'req1.json', 'lists1.json'))
    expect(old.code).toBe(1)
    expect(JSON.parse(old.out)).toMatchObject({ valid: false, code: 'anoncreds.timestamp_invalid' })
    // … under its own request: no status list at its timestamp among the verifier's (only the new one)
    const own = await run(verifyArgs('before.json', 'req0.json', 'lists1.json'))
    expect([own.code, JSON.parse(own.out)]).toEqual([
      1,
      expect.objectContaining({ valid: false, code: 'anoncreds.unknown_identifier' }),
    ])
    // … also when its identifier claims the new timestamp (the accumulator changed)
    const replay = await read('before.json')
    replay.identifiers[0].timestamp = T1
    await writeFile(f('replay.json'), JSON.stringify(replay))
    const r = await run(verifyArgs('replay.json', 'req1.json', 'lists1.json'))
    expect([r.code, JSON.parse(r.out)]).toEqual([
      1,
      { valid: false, code: 'anoncreds.proof_invalid', reason: expect.any(String) },
    ])

    // unrevoke: the list goes back, the updated state verifies again at T2
    await ok(updateArgs('unrevoke', 'list1.json', '--index', '1', '--timestamp', String(T2)), 'list2.json')
    const list2 = await read('list2.json')
    expect(list2.revocationList).toEqual(new Array(MAX).fill(0))
    expect(list2.currentAccumulator).toBe((await read('list0.json')).currentAccumulator)
    await ok(revStateArgs('list2.json', '--previous', f('state1.json'), '--previous-list', f('list1.json')), 'state2.json')
    await writeFile(f('states2.json'), `[${await readFile(f('state2.json'), 'utf8')}]`)
    await writeFile(f('timestamps2.json'), JSON.stringify([T2]))
    await writeFile(f('lists2.json'), JSON.stringify([list2]))
    await proofRequest('req2.json', { from: T2 })
    await ok(
      presentArgs('req2.json', 'states2.json', '--timestamps', f('timestamps2.json'), '--rev-reg-defs', f('rev-reg-defs.json')),
      'after.json',
    )
    const v = await run(verifyArgs('after.json', 'req2.json', 'lists2.json'))
    expect([v.code, v.out.trim()]).toEqual([0, '{"valid":true}'])
  })

  it('bad usage exits 2: missing or non-numeric --index, half the revocation options, arrays of the wrong shape', async () => {
    const usage = async (argv: string[]) => {
      const r = await run(argv)
      expect(r.code, `${argv.join(' ')}\n${r.err}`).toBe(2)
      return r.err
    }
    expect(await usage(updateArgs('revoke', 'list0.json'))).toContain('--index is required')
    expect(await usage(updateArgs('revoke', 'list0.json', '--index', 'one'))).toContain('--index')
    await usage(updateArgs('unrevoke', 'list0.json', '--index', '1,x'))
    await usage(updateArgs('revoke', 'list0.json', '--index', '1', '--timestamp', 'noon'))
    await usage(updateArgs('revoke', 'list0.json', '--index', '1', '--bogus'))
    await usage(['rev-state', '--rev-reg-def', f('rev-reg-def.json'), '--status-list', f('list0.json'), '--tails', tailsPath])
    await usage([...revStateArgs('list0.json').slice(0, 5), '--index', '1.5', '--tails', tailsPath])
    await usage(revStateArgs('list0.json', '--previous', f('state0.json')))
    await usage([
      'rev-reg',
      '--cred-def',
      f('cred-def.json'),
      '--cred-def-id',
      CRED_DEF_ID,
      '--issuer',
      ISSUER,
      '--max',
      'ten',
      '--tails-dir',
      f('tails2'),
      '--private-out',
      f('rev-private2.json'),
    ])
    await usage(['status-list', ...registry(), '--timestamp', String(T0)])
    await usage([
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
      '--rev-reg-def',
      f('rev-reg-def.json'),
      '--index',
      '2',
    ])
    await writeFile(f('two-states.json'), JSON.stringify([null, null]))
    await usage(presentArgs('req0.json', 'two-states.json'))
    await usage(presentArgs('req0.json', 'list0.json'))
    // verify takes the status lists as an array, the registry definitions as a map by id
    expect(await usage(verifyArgs('credentials.json', 'values.json', 'list0.json'))).toContain('JSON array')
    expect(
      await usage([...verifyArgs('credentials.json', 'values.json', 'lists0.json'), '--rev-reg-defs', f('lists0.json')]),
    ).toContain('keyed by id')
    // an index outside the registry is not bad usage but the library's typed refusal: exit 1 with the code
    const out = await run(updateArgs('revoke', 'list0.json', '--index', String(MAX)))
    expect(out.code).toBe(1)
    expect(out.err).toContain('anoncreds.options_invalid')
  })
})
