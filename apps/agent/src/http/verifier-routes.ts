import { z } from 'zod'
import { TRUST_KINDS, zTrustInput } from '../services/trust.js'
import { zPresentationInput, zPresentationListQuery } from '../services/verification.js'
import { type Operation, op } from './api.js'

const zReason = z.strictObject({ reason: z.string().min(1).max(500).optional() })

/** Verification sessions (OpenID4VP) and the trust list. */
export const VERIFIER_OPERATIONS: readonly Operation[] = [
  op({
    method: 'post',
    path: '/v1/presentation-sessions',
    scopes: ['verifier'],
    tag: 'Verification',
    summary:
      'Start a verification session (DCQL or a DIF presentation definition): the openid4vp:// request, a QR code (SVG), the session id',
    body: zPresentationInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.verification.create(body),
  }),
  op({
    method: 'get',
    path: '/v1/presentation-sessions',
    scopes: ['verifier'],
    tag: 'Verification',
    summary: 'List verification sessions, newest first (cursor pagination)',
    query: zPresentationListQuery,
    handler: ({ ctx, query }) => ctx.verification.list(query),
  }),
  op({
    method: 'get',
    path: '/v1/presentation-sessions/{id}',
    scopes: ['verifier'],
    tag: 'Verification',
    summary: 'A session: state, verdict, and per query the format, disclosed claims and each check',
    handler: ({ ctx, params }) => ctx.verification.get(params.id as string),
  }),
  op({
    method: 'post',
    path: '/v1/presentation-sessions/{id}/accept',
    scopes: ['verifier'],
    tag: 'Verification',
    summary: 'Accept a verified presentation (the business decision, after the cryptographic verdict)',
    body: zReason,
    handler: ({ ctx, params, body }) => ctx.verification.decide(params.id as string, true, body.reason),
  }),
  op({
    method: 'post',
    path: '/v1/presentation-sessions/{id}/reject',
    scopes: ['verifier'],
    tag: 'Verification',
    summary: 'Reject a verified presentation, with a reason',
    body: zReason,
    handler: ({ ctx, params, body }) => ctx.verification.decide(params.id as string, false, body.reason),
  }),
  op({
    method: 'get',
    path: '/v1/trust',
    scopes: ['verifier', 'holder'],
    tag: 'Trust',
    summary: "The trust list (the agent's own root is always trusted and not listed)",
    query: z.strictObject({ kind: z.enum(TRUST_KINDS).optional() }),
    handler: async ({ ctx, query }) => ({ items: await ctx.trust.list(query.kind) }),
  }),
  op({
    method: 'post',
    path: '/v1/trust',
    scopes: ['admin'],
    tag: 'Trust',
    summary: 'Trust an X.509 root, an issuer key (JWK), a DID, a verifier root or a wallet provider',
    body: zTrustInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.trust.add(body),
  }),
  op({
    method: 'delete',
    path: '/v1/trust/{id}',
    scopes: ['admin'],
    tag: 'Trust',
    summary: 'Stop trusting an entry',
    handler: async ({ ctx, params }) => {
      await ctx.trust.remove(params.id as string)
    },
  }),
]
