import { type CborValue, cborDiagnostic, decodeCbor } from '@bonafide/cose'
import { toJsonValue } from '@bonafide/mdoc'
import { mdocBytes } from '../commands/mdoc.js'
import type { Decoder } from './types.js'

/** mdoc DeviceResponse or IssuerSigned (hex or base64url): CBOR diagnostic notation plus the decoded elements. */
export const mdocDecoder: Decoder = {
  name: 'mdoc',
  decode(input) {
    if (!/^[A-Za-z0-9_-]+$/.test(input) || input.length < 16) return undefined
    let top: CborValue
    try {
      top = decodeCbor(mdocBytes(input), { maxBytes: 4 << 20 })
    } catch {
      return undefined
    }
    if (!(top instanceof Map) || !(top.has('documents') || top.has('issuerAuth'))) return undefined
    const embedded = (b: Uint8Array) => decodeCbor(b)
    const lines = [`mdoc ${top.has('documents') ? 'DeviceResponse' : 'IssuerSigned'} (not verified)`]
    const docs = top.has('documents') ? (top.get('documents') as Map<CborValue, CborValue>[]) : [new Map([['issuerSigned', top]])]
    for (const doc of Array.isArray(docs) ? docs : []) {
      const is = doc.get('issuerSigned')
      const ns = is instanceof Map ? is.get('nameSpaces') : undefined
      if (typeof doc.get('docType') === 'string') lines.push(`docType: ${doc.get('docType')}`)
      if (ns instanceof Map) {
        for (const [name, items] of ns) {
          lines.push(`namespace ${String(name)}:`)
          for (const it of Array.isArray(items) ? items : []) {
            try {
              const item = embedded((it as { value: Uint8Array }).value) as Map<CborValue, CborValue>
              lines.push(
                `  ${String(item.get('elementIdentifier'))} = ${JSON.stringify(toJsonValue(item.get('elementValue') as CborValue))}  (digestID ${String(item.get('digestID'))})`,
              )
            } catch {
              lines.push('  (unreadable item)')
            }
          }
        }
      }
    }
    lines.push('CBOR diagnostic:', cborDiagnostic(top, { decodeEmbedded: embedded }))
    return lines.join('\n')
  },
}
