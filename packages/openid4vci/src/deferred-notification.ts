import { type JsonObject, OAuthError } from '@bonafide/core'
import { parsePublicJwk } from '@bonafide/keys'
import { readJsonBody } from '@bonafide/oauth2'
import type { IssuerContext } from './context.js'
import { authorize, issueFor, readRequestBody } from './credential-endpoint.js'
import { credentialResponse, parseResponseEncryption, type ResponseEncryption } from './encryption.js'

/** POST /deferred_credential (OpenID4VCI §9). */
export async function handleDeferred(ctx: IssuerContext, req: Request): Promise<Response> {
  const tok = await authorize(ctx, req)
  const body = await readRequestBody(ctx, req)
  const d = ctx.o.deferred
  if (!d) throw new OAuthError('invalid_request', 'deferred issuance is not enabled', { status: 404 })
  const txId = body.transaction_id
  if (typeof txId !== 'string' || txId.length > 512)
    throw new OAuthError('invalid_credential_request', 'transaction_id is required')
  let enc: ResponseEncryption | undefined
  if (body.credential_response_encryption !== undefined && ctx.o.encryption)
    enc = parseResponseEncryption(body.credential_response_encryption, ctx.o.encryption.enc ?? ['A128GCM', 'A256GCM'])
  const rec = await ctx.o.store.get('deferred', txId)
  if (!rec || rec.sessionId !== tok.sessionId) throw new OAuthError('invalid_transaction_id', 'transaction_id is unknown')
  const configurationId = String(rec.configurationId)
  const session = await ctx.o.store.get('session', tok.sessionId)
  const data = session?.data
  const sessionData: JsonObject = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {}
  if (!(await d.ready(txId, { sessionId: tok.sessionId, configurationId, sessionData })))
    throw new OAuthError('issuance_pending', 'not ready yet', { extra: { interval: d.intervalSeconds ?? 5 } })
  const taken = await ctx.o.store.take('deferred', txId)
  if (!taken) throw new OAuthError('invalid_transaction_id', 'transaction_id is unknown')
  const keys = (Array.isArray(taken.keys) ? taken.keys : []).map((k) => parsePublicJwk(k))
  return credentialResponse(await issueFor(ctx, tok.sessionId, configurationId, keys, taken.attested === true), 200, enc)
}

const EVENTS = ['credential_accepted', 'credential_failure', 'credential_deleted'] as const

/** POST /notification (OpenID4VCI §11). */
export async function handleNotification(ctx: IssuerContext, req: Request): Promise<Response> {
  const tok = await authorize(ctx, req)
  const body = await readJsonBody(req)
  const id = body.notification_id
  const event = EVENTS.find((e) => e === body.event)
  if (typeof id !== 'string' || !event)
    throw new OAuthError('invalid_notification_request', 'notification_id and a known event are required')
  const desc = body.event_description
  if (desc !== undefined && (typeof desc !== 'string' || desc.length > 1000 || /[^\x20-\x7e]/.test(desc)))
    throw new OAuthError('invalid_notification_request', 'event_description is invalid')
  const rec = await ctx.o.store.get('notification', id)
  if (!rec || rec.sessionId !== tok.sessionId) throw new OAuthError('invalid_notification_id', 'notification_id is unknown')
  await ctx.o.notification?.({
    notificationId: id,
    sessionId: tok.sessionId,
    configurationId: String(rec.configurationId),
    event,
    ...(typeof desc === 'string' ? { description: desc } : {}),
  })
  return new Response(null, { status: 204 })
}
