import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parsePublicJwk } from '@bonafide/keys'
import { vectorsDir } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { decodeSdJwt, verifySdJwt } from '../src/index.js'

const specPath = (() => {
  const v = vectorsDir()
  const p = v ? join(v, '..', 'specs', 'rfc9901-sd-jwt.txt') : undefined
  if (!p || !existsSync(p)) console.warn('[vectors] skipping RFC 9901 examples: ../shared/specs/rfc9901-sd-jwt.txt not found')
  return p && existsSync(p) ? p : undefined
})()

/** Every SD-JWT / SD-JWT+KB printed in the RFC: indented blocks of base64url, `.` and `~` that start with a JWT. */
function examples(text: string): { line: number; token: string }[] {
  const lines = text.split('\n')
  const out: { line: number; token: string }[] = []
  let block: string[] = []
  let start = 0
  const flush = () => {
    const t = block.join('')
    if (t.startsWith('eyJ') && t.includes('~') && t.length > 200) out.push({ line: start + 1, token: t })
    block = []
  }
  lines.forEach((l, i) => {
    if (/^ {3}[A-Za-z0-9_\-.~]+$/.test(l)) {
      if (block.length === 0) start = i
      block.push(l.trim())
    } else flush()
  })
  flush()
  return out
}

// RFC 9901 Appendix A.5: the issuer key of every example.
const issuerKey = parsePublicJwk({
  kty: 'EC',
  crv: 'P-256',
  x: 'b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ',
  y: 'Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8',
})

describe.skipIf(!specPath)('RFC 9901 §5 and Appendix A examples verify with the RFC key', () => {
  const found = specPath ? examples(readFileSync(specPath, 'utf8')) : []
  it('finds the examples (§5.1 issuance, §5.2 presentation, A.1–A.4)', () => expect(found.length).toBeGreaterThanOrEqual(6))
  it.each(found)('example at line $line', async ({ token }) => {
    const d = decodeSdJwt(token)
    const iat = typeof d.kbJwt?.payload.iat === 'number' ? d.kbJwt.payload.iat : 1_683_000_010
    const r = await verifySdJwt(token, {
      issuerKey: () => issuerKey,
      clock: { now: () => iat * 1000 },
      kb: { required: false, maxAgeSeconds: 60 },
    })
    expect(r.claims).not.toHaveProperty('_sd')
    if (d.kbJwt) expect(r.kb?.payload.sd_hash).toBeTypeOf('string')
  })
  it('§5.2 gives the Processed SD-JWT Payload the RFC prints', async () => {
    const p52 = found.find((e) => e.line > 1274 && e.line < 1354)
    expect(p52).toBeDefined()
    const r = await verifySdJwt(p52!.token, {
      issuerKey: () => issuerKey,
      clock: { now: () => 1_748_537_244_000 },
      kb: { required: true, aud: 'https://verifier.example.org', nonce: '1234567890' },
    })
    expect(r.claims).toEqual({
      iss: 'https://issuer.example.com',
      iat: 1683000000,
      exp: 1883000000,
      sub: 'user_42',
      nationalities: ['US'],
      cnf: {
        jwk: {
          kty: 'EC',
          crv: 'P-256',
          x: 'TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc',
          y: 'ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ',
        },
      },
      family_name: 'Doe',
      address: { street_address: '123 Main St', locality: 'Anytown', region: 'Anystate', country: 'US' },
      given_name: 'John',
    })
  })
})
