import { decodeJwsUnverified } from '@bonafide/jose'
import type { Decoder } from './types.js'

/** A plain compact JWT/JWS (the fallback after the format-specific decoders). */
export const jwtDecoder: Decoder = {
  name: 'jwt',
  decode(input) {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(input)) return undefined
    const { header, payload, signature } = decodeJwsUnverified(input)
    return [
      `JWT (not verified)`,
      `header:`,
      JSON.stringify(header, null, 2),
      `payload:`,
      JSON.stringify(payload, null, 2),
      `signature: ${signature.length ? `${signature.slice(0, 16)}… (${signature.length} chars)` : '(none)'}`,
    ].join('\n')
  },
}
