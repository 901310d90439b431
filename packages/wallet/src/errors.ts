import { VcError } from '@bonafide/core'

export const WALLET_ERROR_CODES = [
  'wallet.store_corrupt',
  'wallet.store_locked',
  'wallet.passphrase_invalid',
  'wallet.pool_unknown',
  'wallet.pool_exhausted',
  'wallet.credential_invalid',
  'wallet.format_unsupported',
  'wallet.request_unsatisfiable',
  'wallet.consent_declined',
  'wallet.refill_unavailable',
  'wallet.import_invalid',
] as const
export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number]

export class WalletError extends VcError<WalletErrorCode> {
  override name = 'WalletError'
}
