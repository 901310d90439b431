import { zPlaygroundRun } from '../services/playground.js'
import { ApiProblem } from '../services/problem.js'
import { type Operation, op } from './api.js'

/** The console's batch playground. */
export const PLAYGROUND_OPERATIONS: readonly Operation[] = [
  op({
    method: 'post',
    path: '/v1/playground/runs',
    scopes: ['issuer'],
    tag: 'Playground',
    summary:
      'Run a batch issuance against this agent as a wallet with N holder keys, a configuration of the chosen batch_size, and either a proofs.jwt array or one proof with a key attestation: counters, every artifact, and the unlinkability audit',
    body: zPlaygroundRun,
    handler: ({ ctx, body }) => {
      if (!ctx.config.playground)
        throw new ApiProblem(
          404,
          'agent.playground_disabled',
          'the batch playground is off on this agent (BONAFIDE_PLAYGROUND=false)',
        )
      return ctx.playground.run(body)
    },
  }),
]
