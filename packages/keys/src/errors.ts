import { VcError } from '@bonafide/core'

export const KEYS_ERROR_CODES = [
  'keys.alg_unsupported',
  'keys.jwk_invalid',
  'keys.jwk_private_material',
  'keys.key_alg_mismatch',
  'keys.key_not_found',
  'keys.store_corrupt',
  'keys.passphrase_invalid',
] as const
export type KeysErrorCode = (typeof KEYS_ERROR_CODES)[number]

export class KeysError extends VcError<KeysErrorCode> {
  override name = 'KeysError'
}
