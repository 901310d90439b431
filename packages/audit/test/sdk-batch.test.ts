/**
 * A batch issued with a widely used SDK (@sd-jwt/sd-jwt-vc, the OpenWallet Foundation's sd-jwt-js) the way its
 * documentation issues a credential: the caller sets `iat` (and `exp`) in the payload and reuses them for every copy.
 * The audit flags the shared exact second (RFC 9901 §10.1, OpenID4VCI 1.0 §15.4.1), and passes the same batch once
 * the times are rounded to the day.
 */
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { describe, expect, it } from 'vitest'
import { auditBatch } from '../src/index.js'

async function sdkBatch(iat: number, copies: number): Promise<string[]> {
  const issuerKeys = await ES256.generateKeyPair()
  const sdk = new SDJwtVcInstance({
    signer: await ES256.getSigner(issuerKeys.privateKey),
    verifier: await ES256.getVerifier(issuerKeys.publicKey),
    signAlg: 'ES256',
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  })
  const out: string[] = []
  for (let i = 0; i < copies; i++) {
    const holder = await ES256.generateKeyPair()
    out.push(
      await sdk.issue(
        {
          iss: 'https://issuer.example',
          vct: 'urn:eudi:pid:1',
          iat,
          exp: iat + 30 * 86_400,
          cnf: { jwk: holder.publicKey },
          given_name: 'Erika',
          family_name: 'Mustermann',
        },
        { _sd: ['given_name', 'family_name'] },
      ),
    )
  }
  return out
}

describe('a batch from @sd-jwt/sd-jwt-vc', () => {
  it('RFC 9901 §10.1: the SDK pins one exact iat/exp in every copy → linkable', async () => {
    const r = auditBatch(await sdkBatch(1_764_844_837, 3))
    expect(r.verdict).toBe('linkable')
    expect(r.findings.filter((f) => f.kind === 'audit.same_timestamp').map((f) => [f.field, f.severity])).toEqual([
      ['iat', 'high'],
      ['exp', 'high'],
    ])
    // distinct holder keys and fresh salts: nothing else links them
    expect(r.findings.filter((f) => f.kind !== 'audit.same_timestamp')).toEqual([])
  })
  it('the same SDK batch with iat rounded to the day → unlinkable', async () => {
    expect(auditBatch(await sdkBatch(1_764_806_400, 3)).verdict).toBe('unlinkable')
  })
})
