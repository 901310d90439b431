import { decodeJwsUnverified } from '@bonafide/jose'
import { decodeSdJwt, formatClaimPath } from '@bonafide/sd-jwt'
import type { Decoder } from './types.js'

/** SD-JWT / SD-JWT+KB (compact or JSON): header, payload, each disclosure with its digest and path, KB-JWT. */
export const sdJwtDecoder: Decoder = {
  name: 'sd-jwt',
  decode(input) {
    const isCompact = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~/.test(input)
    const isJson = input.startsWith('{') && input.includes('"payload"')
    if (!isCompact && !isJson) return undefined
    const d = decodeSdJwt(input)
    const pathOf = new Map(d.paths.map((p) => [p.disclosure.digest, formatClaimPath(p.path)]))
    const lines = [
      `SD-JWT${d.kbJwt ? '+KB' : ''} (${d.parts.serialization}, not verified)`,
      'header:',
      JSON.stringify(d.jwt.header, null, 2),
      'payload (as signed):',
      JSON.stringify(d.jwt.payload, null, 2),
      `disclosures (${d.disclosures.length}, _sd_alg ${d.hashAlg}):`,
    ]
    for (const x of d.disclosures) {
      lines.push(`  ${pathOf.get(x.digest) ?? '?'} = ${JSON.stringify(x.value)}`, `    digest ${x.digest}  salt ${x.salt}`)
    }
    lines.push('claims (with these disclosures):', JSON.stringify(d.claims, null, 2))
    if (d.parts.kbJwt) {
      const kb = decodeJwsUnverified(d.parts.kbJwt)
      lines.push('key binding JWT:', JSON.stringify(kb.header), JSON.stringify(kb.payload, null, 2))
    }
    return lines.join('\n')
  },
}
