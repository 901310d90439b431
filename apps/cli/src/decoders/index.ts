import { jwtDecoder } from './jwt.js'
import { jwtVcDecoder } from './jwt-vc.js'
import { mdocDecoder } from './mdoc.js'
import { sdJwtDecoder } from './sd-jwt.js'
import { statusListDecoder } from './status-list.js'
import type { Decoder } from './types.js'

/** Tried in order; the first that recognises the input wins. Format decoders go before `jwt`. */
export const decoders: Decoder[] = [
  sdJwtDecoder,
  statusListDecoder,
  jwtVcDecoder,
  mdocDecoder,
  jwtDecoder, // generic JWT: keep last
]
