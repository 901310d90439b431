import { digestB64u, type JsonObject, OAuthError } from '@bonafide/core'
import { jsonResponse } from '@bonafide/oauth2'
import type { IssuerContext } from './context.js'
import { PATHS, PRE_AUTH_GRANT } from './issuer-options.js'

export interface CreateOfferOptions {
  configurationIds: readonly string[]
  /** Application data for the claims callback (kept server-side). */
  sessionData?: JsonObject
  /** Pre-authorized code grant (default true). */
  preAuthorized?: boolean
  /** Ask for a transaction code of this many digits (delivered to the user out of band). */
  txCode?: { length?: number; description?: string }
  /** Authorization code grant with `issuer_state`. */
  authorizationCode?: boolean
  /** Offer by reference (`credential_offer_uri`) instead of by value. */
  byReference?: boolean
  /** Link scheme (default `openid-credential-offer://`; HAIP §4.2 allows `haip-vci://`). */
  scheme?: 'openid-credential-offer://' | 'haip-vci://'
  /** This offer's lifetime in seconds (its codes and issuer_state die with it); default `offerTtlSeconds`. */
  ttlSeconds?: number
}

export interface CreatedOffer {
  readonly offer: JsonObject
  /** `openid-credential-offer://?credential_offer=…` or `?credential_offer_uri=…`. */
  readonly link: string
  readonly sessionId: string
  readonly preAuthorizedCode?: string
  readonly txCode?: string
  readonly issuerState?: string
}

export function hashSecret(s: string): string {
  return digestB64u('sha-256', s)
}

/** OpenID4VCI §4.1: create an offer and its grant state. */
export async function createOffer(ctx: IssuerContext, o: CreateOfferOptions): Promise<CreatedOffer> {
  if (o.configurationIds.length === 0) throw new OAuthError('invalid_request', 'an offer needs a configuration')
  for (const id of o.configurationIds)
    if (!ctx.configurations[id]) throw new OAuthError('unknown_credential_configuration', 'unknown configuration')
  const ttl = o.ttlSeconds ?? ctx.o.offerTtlSeconds ?? 600
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 366 * 86400)
    throw new OAuthError('invalid_request', 'the offer lifetime is out of range')
  const sessionId = ctx.newId(16)
  await ctx.o.store.put(
    'session',
    sessionId,
    { data: o.sessionData ?? {}, configurationIds: [...o.configurationIds] },
    ctx.expiresIn(ttl + 3600),
  )
  const grants: JsonObject = {}
  let preAuthorizedCode: string | undefined
  let txCode: string | undefined
  let issuerState: string | undefined
  if (o.preAuthorized ?? true) {
    preAuthorizedCode = ctx.newId()
    const grant: JsonObject = { 'pre-authorized_code': preAuthorizedCode }
    const rec: JsonObject = { sessionId, configurationIds: [...o.configurationIds] }
    if (o.txCode) {
      const length = o.txCode.length ?? 6
      txCode = Array.from(ctx.random.bytes(length), (b) => String(b % 10)).join('')
      rec.txCodeHash = hashSecret(txCode)
      grant.tx_code = { input_mode: 'numeric', length, ...(o.txCode.description ? { description: o.txCode.description } : {}) }
    }
    await ctx.o.store.put('pre_authorized_code', hashSecret(preAuthorizedCode), rec, ctx.expiresIn(ttl))
    grants[PRE_AUTH_GRANT] = grant
  }
  if (o.authorizationCode) {
    issuerState = ctx.newId()
    await ctx.o.store.put('offer', `state:${issuerState}`, { sessionId }, ctx.expiresIn(ttl))
    grants.authorization_code = { issuer_state: issuerState }
  }
  const offer: JsonObject = {
    credential_issuer: ctx.o.issuer,
    credential_configuration_ids: [...o.configurationIds],
    grants,
  }
  let link: string
  if (o.byReference) {
    const id = ctx.newId(16)
    await ctx.o.store.put('offer', id, offer, ctx.expiresIn(ttl))
    link = `${o.scheme ?? 'openid-credential-offer://'}?credential_offer_uri=${encodeURIComponent(`${ctx.o.issuer}${PATHS.offer}/${id}`)}`
  } else {
    link = `${o.scheme ?? 'openid-credential-offer://'}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`
  }
  return {
    offer,
    link,
    sessionId,
    ...(preAuthorizedCode ? { preAuthorizedCode } : {}),
    ...(txCode ? { txCode } : {}),
    ...(issuerState ? { issuerState } : {}),
  }
}

/** GET /credential-offer/{id}: an offer by reference (§4.1.3). */
export async function handleOfferByReference(ctx: IssuerContext, id: string): Promise<Response> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new OAuthError('invalid_request', 'unknown offer', { status: 404 })
  const offer = await ctx.o.store.get('offer', id)
  if (!offer) throw new OAuthError('invalid_request', 'unknown offer', { status: 404 })
  return jsonResponse(offer)
}
