import { isVcError } from '@bonafide/core'
import { parseCredentialOffer, parseIssuerMetadata } from '@bonafide/openid4vci'
import { readVector, vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'

const dir = vectorsPath('openid4vci')
const json = (name: string): unknown => {
  const text = readVector(name)
  return JSON.parse(text.slice(text.indexOf('{')))
}

describe.skipIf(!dir)('OpenID4VCI 1.0 spec examples', () => {
  it('§4.1.1 parses the pre-authorized, by-reference and authorization code offers', () => {
    const pre = parseCredentialOffer(json('openid4vci/credential_offer_pre-authz_code.json'))
    expect(pre.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code?.description).toContain('one-time code')
    expect(parseCredentialOffer(json('openid4vci/credential_offer_by_reference.json')).credential_configuration_ids).toHaveLength(
      1,
    )
    expect(
      parseCredentialOffer(json('openid4vci/credential_offer_authz_code.txt')).grants?.authorization_code?.issuer_state,
    ).toBeTruthy()
    expect(
      parseCredentialOffer(json('openid4vci/credential_offer_multiple_credentials.json')).credential_configuration_ids.length,
    ).toBeGreaterThan(1)
  })
  it('§4.1.1 refuses a pre-1.0 offer (credentials instead of credential_configuration_ids)', () => {
    try {
      parseCredentialOffer(json('haip/credential_offer_sd_jwt_vc.json'))
      expect.unreachable()
    } catch (e) {
      expect(isVcError(e, 'openid4vci.offer_invalid')).toBe(true)
    }
  })
  it('§12.2.4 parses the long SD-JWT VC issuer metadata example', () => {
    const m = parseIssuerMetadata(json('openid4vci/credential_issuer_metadata_sd_jwt_long.json'))
    expect(m.batch_credential_issuance?.batch_size).toBeGreaterThan(1)
    expect(m.credential_request_encryption?.jwks.keys.length).toBeGreaterThan(0)
    const c = m.credential_configurations_supported.SD_JWT_VC_example_in_OpenID4VCI
    expect(c?.proof_types_supported?.jwt?.key_attestations_required?.key_storage).toEqual(['iso_18045_moderate'])
  })
  it('§12.2.4 refuses metadata with batch_size below 2 or without a credential endpoint', () => {
    const m = json('openid4vci/credential_issuer_metadata_sd_jwt_long.json') as Record<string, unknown>
    expect(() => parseIssuerMetadata({ ...m, batch_credential_issuance: { batch_size: 1 } })).toThrow()
    const { credential_endpoint: _drop, ...rest } = m
    expect(() => parseIssuerMetadata(rest)).toThrow()
  })
})

describe('wallet offer resolution (untrusted input)', () => {
  it('§4.1 malformed offers are typed errors', async () => {
    const { WalletClient } = await import('@bonafide/openid4vci')
    const { MemoryKeyStore } = await import('@bonafide/keys')
    const w = new WalletClient({
      fetcher: async () => ({ url: '', status: 500, headers: {}, body: new Uint8Array() }),
      keyStore: new MemoryKeyStore(),
      formats: [],
    })
    for (const bad of [
      '{not json',
      'openid-credential-offer://?x=1',
      'openid-credential-offer://?credential_offer=%7B',
      'not a link',
      `{"a":"${'x'.repeat(20000)}"}`,
    ]) {
      await expect(w.resolveOffer(bad)).rejects.toMatchObject({ code: 'openid4vci.offer_invalid' })
    }
    const both = `openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=https%3A%2F%2Fx`
    await expect(w.resolveOffer(both)).rejects.toMatchObject({ code: 'openid4vci.offer_invalid' })
  })
})
