import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClock } from '@bonafide/core'
import { generatePrivateJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueSdJwtVcBatch } from '@bonafide/sd-jwt'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from './helpers.js'

// 15:30:07 UTC: an exact second, on no rounding boundary.
const clock = new FakeClock(Date.UTC(2026, 10, 22, 15, 30, 7))
const NOW = Math.floor(clock.now() / 1000)
const signer = signerFromPrivateJwk(generatePrivateJwk('ES256'))

function batch(timestamps: { mode: 'round' } | { mode: 'exact' }): Promise<string[]> {
  return issueSdJwtVcBatch({
    signer,
    iss: 'https://issuer.example',
    vct: 'urn:eudi:pid:1',
    claims: { given_name: 'Erika', family_name: 'Mustermann' },
    disclosable: ['given_name', 'family_name'],
    validForSeconds: 30 * 86_400,
    clock,
    timestamps,
    entries: [9137, 80211, 45002].map((idx) => ({
      holderKey: signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk,
      status: { status_list: { idx, uri: 'https://issuer.example/status/7' } },
    })),
  }).then((r) => r.credentials)
}

let dir = ''
const f = (n: string) => join(dir, n)
let good: string[] = []
let pinned: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bf-audit-'))
  good = await batch({ mode: 'round' })
  pinned = await batch({ mode: 'exact' })
  await writeFile(f('good.txt'), `${good.join('\n')}\n`)
  await writeFile(f('pinned-0.txt'), pinned[0] as string)
  await writeFile(f('pinned-rest.txt'), pinned.slice(1).join('\r\n'))
})

describe('bonafide audit (RFC 9901 §10.1, OpenID4VCI 1.0 §15.4.1)', () => {
  it('a good batch (own keys, fresh salts, rounded iat) is unlinkable: exit 0', async () => {
    const r = await cli(['audit', f('good.txt')])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^unlinkable: 3 sd-jwt-vc copies, 0 finding\(s\)/)
  })
  it('RFC 9901 §10.1: a pinned exact iat is linkable: exit 1, the finding in --json (files and stdin mixed)', async () => {
    const r = await cli(['audit', '--json', f('pinned-0.txt'), '-'], { stdin: pinned.slice(1).join('\n') })
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out)
    expect(report).toMatchObject({ verdict: 'linkable', copies: 3, format: 'sd-jwt-vc' })
    expect(report.findings).toContainEqual({
      field: 'iat',
      kind: 'audit.same_timestamp',
      severity: 'high',
      evidence: `all 3 copies have iat ${NOW} (exact, not rounded)`,
      copies: [0, 1, 2],
    })
    const human = await cli(['audit', f('pinned-0.txt'), f('pinned-rest.txt')])
    expect(human.code).toBe(1)
    expect(human.out).toContain(`high   iat: all 3 copies have iat ${NOW} (exact, not rounded)`)
  })
  it('bad usage is exit 2: no arguments, an unreadable file, a malformed or mixed batch, a bad option', async () => {
    expect((await cli(['audit'])).code).toBe(2)
    expect((await cli(['audit', f('missing.txt')])).code).toBe(2)
    expect((await cli(['audit', '-'], { stdin: '\n' })).code).toBe(2)
    const malformed = await cli(['audit', f('good.txt'), '-'], { stdin: 'e30.e30.sig~\n' })
    expect(malformed.code).toBe(2)
    expect(malformed.err).toContain('audit.credential_invalid')
    expect((await cli(['audit', '--format', 'ldp_vc', f('good.txt')])).code).toBe(2)
    expect((await cli(['audit', '--list-size', 'nope', f('good.txt')])).code).toBe(2)
    expect((await cli(['audit', '--frobnicate', f('good.txt')])).code).toBe(2)
    expect((await cli(['audit', '--help'])).code).toBe(0)
  })
  it('--list-size reports a small status list (low: still exit 0)', async () => {
    const r = await cli(['audit', '--list-size', 'https://issuer.example/status/7=1024', f('good.txt')])
    expect(r.code).toBe(0)
    expect(r.out).toContain('low    status.status_list.idx: all 3 copies are in a list of 1024 entries (under 131072)')
  })
  it('is listed in bonafide --help', async () => {
    expect((await cli(['--help'])).out).toMatch(/audit\s+audit the copies of one batch/)
  })
})
