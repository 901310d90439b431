import { decodeX5c, JoseError, type ValidatedChain, type X5cValidator } from '@bonafide/jose'

/**
 * Validate a JOSE `x5c` header to trusted anchors, HAIP style: the chain must not contain the
 * trust anchor itself (HAIP §4.4, §4.5.1, §4.2) and the leaf is never self-signed.
 */
export function validateX5cHeader(validator: X5cValidator, x5c: unknown, nowMs: number): ValidatedChain {
  const der = decodeX5c(x5c)
  const chain = validator.validate(der, nowMs)
  if (chain.chain.some((c) => c.raw.equals(chain.anchor.raw)) || der.some((d) => chain.anchor.raw.equals(d)))
    throw new JoseError('jose.x5c_invalid', 'x5c must not include the trust anchor')
  return chain
}
