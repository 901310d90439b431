import { zDeliveryQuery, zWebhookInput } from '../services/webhook-service.js'
import { type Operation, op } from './api.js'

/** Webhook subscriptions and their delivery log. */
export const WEBHOOK_OPERATIONS: readonly Operation[] = [
  op({
    method: 'post',
    path: '/v1/webhooks',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'Subscribe a URL to event types (or *): the signing secret (whsec_…) is shown once',
    body: zWebhookInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.webhooks.create(body),
  }),
  op({
    method: 'get',
    path: '/v1/webhooks',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'Webhook subscriptions (never their secrets)',
    handler: async ({ ctx }) => ({ items: await ctx.webhooks.list() }),
  }),
  op({
    method: 'get',
    path: '/v1/webhooks/{id}',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'One webhook subscription',
    handler: ({ ctx, params }) => ctx.webhooks.get(params.id as string),
  }),
  op({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'Delete a subscription and its pending deliveries',
    handler: async ({ ctx, params }) => {
      await ctx.webhooks.delete(params.id as string)
    },
  }),
  op({
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'The delivery log: each delivery with its state and every attempt (status, error, duration)',
    query: zDeliveryQuery,
    handler: ({ ctx, params, query }) => ctx.webhooks.deliveries(params.id as string, query),
  }),
  op({
    method: 'post',
    path: '/v1/webhook-deliveries/{id}/redeliver',
    scopes: ['admin'],
    tag: 'Webhooks',
    summary: 'Send a delivered or dead-lettered delivery again',
    handler: async ({ ctx, params }) => {
      await ctx.webhooks.redeliver(params.id as string)
      return { redelivering: true }
    },
  }),
]
