import { zReceiveInput, zResolveInput, zRespondInput } from '../services/holder.js'
import { type Operation, op } from './api.js'

/** The holder API: the agent's own wallet (pools of one-time-use copies, consent, the presentation log). */
export const HOLDER_OPERATIONS: readonly Operation[] = [
  op({
    method: 'post',
    path: '/v1/holder/offers',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'Receive a credential offer (pre-authorized code, with a tx code if asked): one pool per configuration',
    body: zReceiveInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.holder.receive(body),
  }),
  op({
    method: 'get',
    path: '/v1/holder/pools',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'Pools of copies, with the number of unused copies left',
    handler: ({ ctx }) => ctx.holder.pools(),
  }),
  op({
    method: 'delete',
    path: '/v1/holder/pools/{id}',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'Delete a pool, its copies and their keys',
    handler: async ({ ctx, params }) => {
      await ctx.holder.deletePool(params.id as string)
    },
  }),
  op({
    method: 'post',
    path: '/v1/holder/requests',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'Resolve an OpenID4VP request into a plan: who asks, per query the candidates and the claims each would disclose',
    body: zResolveInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.holder.resolve(body.request),
  }),
  op({
    method: 'post',
    path: '/v1/holder/requests/{id}/respond',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'Answer a resolved request with explicit consent and a selection (pool ids per query)',
    body: zRespondInput,
    handler: ({ ctx, params, body }) => ctx.holder.respond(params.id as string, body),
  }),
  op({
    method: 'get',
    path: '/v1/holder/presentations',
    scopes: ['holder'],
    tag: 'Holder',
    summary: 'The presentation log (what was shared with whom; never the credentials)',
    handler: ({ ctx }) => ctx.holder.log(),
  }),
]
