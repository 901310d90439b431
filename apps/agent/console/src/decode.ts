/** Decoding for display only (no verification): base64url, JWTs, SD-JWTs with their disclosures. */

export function b64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4))
  return Uint8Array.from(b, (c) => c.charCodeAt(0))
}

export function b64urlJson(s: string): unknown {
  return JSON.parse(new TextDecoder().decode(b64urlBytes(s)))
}

export interface Decoded {
  kind: string
  header?: unknown
  payload?: unknown
  disclosures?: unknown[]
  keyBinding?: unknown
  note?: string
}

/** A compact JWT, an SD-JWT (`jwt~d1~…~[kb]`), or something else shown as is. */
export function decodeToken(token: string): Decoded {
  try {
    if (token.includes('~')) {
      const parts = token.split('~')
      const jwt = decodeJwt(parts[0] as string)
      const last = parts[parts.length - 1] as string
      return {
        kind: 'SD-JWT',
        header: jwt.header,
        payload: jwt.payload,
        disclosures: parts
          .slice(1, -1)
          .filter(Boolean)
          .map((d) => b64urlJson(d)),
        ...(last ? { keyBinding: decodeJwt(last) } : {}),
      }
    }
    if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return { kind: 'JWT', ...decodeJwt(token) }
  } catch {
    // fall through: not decodable as a JWT
  }
  return { kind: 'opaque', note: `${token.length} characters (CBOR or another encoding)` }
}

function decodeJwt(t: string): { header: unknown; payload: unknown } {
  const [h, p] = t.split('.')
  return { header: b64urlJson(h as string), payload: b64urlJson(p as string) }
}
