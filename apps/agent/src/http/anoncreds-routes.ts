import { z } from 'zod'
import { zAnonCredsSchemaInput, zCredDefInput, zIssueInput } from '../services/anoncreds.js'
import { type Operation, op } from './api.js'

/** AnonCreds under /v1/anoncreds: schemas, credential definitions, offers, issuance (the transport is the operator's). */
export const ANONCREDS_OPERATIONS: readonly Operation[] = [
  op({
    method: 'post',
    path: '/v1/anoncreds/schemas',
    scopes: ['registry'],
    tag: 'AnonCreds',
    summary: 'Register an AnonCreds schema (name, version, attribute names); its id is a URL on this agent that resolves to it',
    body: zAnonCredsSchemaInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.anoncreds.createSchema(body),
  }),
  op({
    method: 'get',
    path: '/v1/anoncreds/schemas',
    scopes: ['registry', 'issuer'],
    tag: 'AnonCreds',
    summary: 'AnonCreds schemas, newest first',
    handler: ({ ctx }) => ctx.anoncreds.schemas(),
  }),
  op({
    method: 'post',
    path: '/v1/anoncreds/credential-definitions',
    scopes: ['issuer'],
    tag: 'AnonCreds',
    summary:
      'Create a CL credential definition for a schema (takes seconds: two 1024-bit safe primes); the private part is sealed under the KEK and never leaves the agent',
    body: zCredDefInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.anoncreds.createCredentialDefinition(body),
  }),
  op({
    method: 'get',
    path: '/v1/anoncreds/credential-definitions',
    scopes: ['issuer'],
    tag: 'AnonCreds',
    summary: 'Credential definitions (public parts and key correctness proofs), newest first',
    handler: ({ ctx }) => ctx.anoncreds.credentialDefinitions(),
  }),
  op({
    method: 'post',
    path: '/v1/anoncreds/offers',
    scopes: ['issuer'],
    tag: 'AnonCreds',
    summary: "A credential offer for one of this agent's credential definitions (fresh 80-bit nonce, key correctness proof)",
    body: z.strictObject({ credentialDefinitionId: z.string().min(1).max(2000) }),
    status: 201,
    handler: ({ ctx, body }) => ctx.anoncreds.offer(body.credentialDefinitionId),
  }),
  op({
    method: 'post',
    path: '/v1/anoncreds/credentials',
    scopes: ['issuer'],
    tag: 'AnonCreds',
    summary:
      "Issue a credential for a holder's request to an offer: the blinded link secret proof is checked, every schema attribute needs a raw value",
    body: zIssueInput,
    status: 201,
    handler: ({ ctx, body }) => ctx.anoncreds.issue(body),
  }),
]
