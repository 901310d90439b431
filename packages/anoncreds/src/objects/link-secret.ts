/**
 * Link secret (AnonCreds v1 §Holder Create and Store Link Secret; anoncreds-rs src/data_types/link_secret.rs):
 * a decimal big integer (`LinkSecret::try_from(&str)` → `BigNumber::from_dec`), 256 bits when created by
 * anoncreds-clsignatures-rs (LARGE_LINK_SECRET). Never logged: errors carry no value.
 */
import type { z } from 'zod'
import { AnonCredsError } from '../errors.js'
import { BIGINT_BITS } from './limits.js'
import { zDecimal } from './wire.js'

/** Wider than the 256 bits anoncreds-rs creates, to read secrets created elsewhere; still bounded. */
export const zLinkSecret = zDecimal(BIGINT_BITS.signatureM2)
export type LinkSecret = z.output<typeof zLinkSecret>

export function parseLinkSecret(input: unknown): LinkSecret {
  const r = zLinkSecret.safeParse(input)
  if (r.success) return r.data
  const tooLarge = r.error.issues.some((i) => i.code === 'too_big')
  throw new AnonCredsError(tooLarge ? 'anoncreds.too_large' : 'anoncreds.invalid_object', 'link_secret: not a decimal integer', {
    details: { object: 'link_secret' },
  })
}
