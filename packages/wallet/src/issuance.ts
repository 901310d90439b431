import type { JsonObject } from '@bonafide/core'
import { jwkThumbprint } from '@bonafide/keys'
import type { CredentialFormat, ValidatedCredential, ValidateReceivedInput } from '@bonafide/openid4vci'
import { WalletError } from './errors.js'
import type { DescribedCredential, WalletFormat } from './formats.js'

/** The type a configuration promises (vct, doctype, or the W3C type list). */
export function configuredType(c: JsonObject): string | undefined {
  if (typeof c.vct === 'string') return c.vct
  if (typeof c.doctype === 'string') return c.doctype
  const def = c.credential_definition as { type?: unknown } | undefined
  if (Array.isArray(def?.type)) return def.type.join(' ')
  return undefined
}

/**
 * Use a wallet format as the OpenID4VCI client's received-credential check: issuer signature and
 * trust, the configured type, and binding to the key each credential was requested for. The
 * descriptions are kept (by credential) so the wallet stores what it checked.
 */
export function issuanceFormat(f: WalletFormat, described: Map<string, DescribedCredential>): CredentialFormat {
  return {
    format: f.format,
    validateConfiguration() {},
    async validateReceived(i: ValidateReceivedInput): Promise<ValidatedCredential> {
      if (typeof i.credential !== 'string')
        throw new WalletError('wallet.credential_invalid', `${f.format} credentials are strings`)
      const d = await f.describe(i.credential, i.clock)
      const want = configuredType(i.configuration)
      if (want !== undefined && d.type !== want)
        throw new WalletError('wallet.credential_invalid', 'the credential is not of the requested type')
      if (jwkThumbprint(d.holderKey) !== jwkThumbprint(i.holderKey))
        throw new WalletError('wallet.credential_invalid', 'the credential is not bound to the requested key')
      described.set(i.credential, d)
      return { salts: d.salts, claims: d.claims, ...(d.status ? { status: d.status } : {}) }
    },
  }
}
