import type { KeyObject } from 'node:crypto'
import { isJsonObject, type JsonObject } from '@bonafide/core'
import { decryptResponse } from '../encryption.js'

/**
 * The response parameters of what the DC API returned (Appendix A.4), in the session's response mode: `dc_api`
 * takes `{ vp_token }` and refuses an encrypted `response`; `dc_api.jwt` (§8.3) takes only `{ response }`, a JWE
 * the session key decrypts. Undefined when the shape or the key does not fit.
 */
export async function dcApiResponseParams(response: unknown, sessionKey: KeyObject | undefined): Promise<JsonObject | undefined> {
  if (!isJsonObject(response)) return undefined
  if (!sessionKey) return typeof response.response === 'string' ? undefined : response
  if (typeof response.response !== 'string' || 'vp_token' in response) return undefined
  try {
    return await decryptResponse(response.response, sessionKey)
  } catch {
    return undefined
  }
}
