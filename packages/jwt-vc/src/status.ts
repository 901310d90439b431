import {
  type CredentialStatusResult,
  isJsonObject,
  isVcError,
  type JsonObject,
  type JsonValue,
  parseWire,
  type StatusChecker,
} from '@bonafide/core'
import { z } from 'zod'
import { JwtVcError } from './errors.js'

/** 'reject' (default): revoked / suspended throw; undetermined only with `rejectUndetermined`. 'report': never throw. */
export interface JwtVcStatusPolicy {
  mode?: 'reject' | 'report'
  rejectUndetermined?: boolean
}

const zIndex = z.union([z.string().regex(/^(0|[1-9]\d{0,9})$/), z.number().int().nonnegative()])
const zUrl = z.string().refine((s) => URL.canParse(s), 'not a URL')

/** Bitstring Status List v1.0 §2.1 BitstringStatusListEntry (and the StatusList2021Entry it replaces). */
const zBitstringEntry = z.looseObject({
  id: z.string().optional(),
  type: z.enum(['BitstringStatusListEntry', 'StatusList2021Entry']),
  statusPurpose: z.string().min(1),
  statusListIndex: zIndex,
  statusListCredential: zUrl,
  statusSize: z.number().int().min(1).max(8).optional(),
})

/**
 * Check the shape of `credentialStatus` (one entry or several): Bitstring and 2021 entries strictly,
 * other mechanisms only for a `type` (their checker judges them). Throws `jwt_vc.status_invalid`.
 */
export function parseCredentialStatus(v: JsonValue): void {
  for (const e of Array.isArray(v) ? v : [v]) {
    if (!isJsonObject(e) || typeof e.type !== 'string')
      throw new JwtVcError('jwt_vc.status_invalid', 'each credentialStatus entry needs a type')
    if (e.type === 'BitstringStatusListEntry' || e.type === 'StatusList2021Entry')
      parseWire(zBitstringEntry, e, 'jwt_vc.status_invalid')
  }
}

/**
 * A BitstringStatusListEntry for one credential (Bitstring Status List v1.0 §2.1): the caller allocates the
 * index (e.g. StatusIndexAllocator from @bonafide/status-list).
 * @example bitstringStatusEntry({ statusListCredential: 'https://issuer.example/status/3', index: 94567 })
 */
export function bitstringStatusEntry(o: {
  statusListCredential: string
  index: number
  purpose?: 'revocation' | 'suspension' | (string & {})
  statusSize?: number
}): JsonObject {
  if (!Number.isInteger(o.index) || o.index < 0)
    throw new JwtVcError('jwt_vc.options_invalid', 'statusListIndex must be a non-negative integer')
  if (!URL.canParse(o.statusListCredential)) throw new JwtVcError('jwt_vc.options_invalid', 'statusListCredential must be a URL')
  return {
    id: `${o.statusListCredential}#${o.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: o.purpose ?? 'revocation',
    statusListIndex: String(o.index),
    statusListCredential: o.statusListCredential,
    ...(o.statusSize && o.statusSize !== 1 ? { statusSize: o.statusSize } : {}),
  }
}

/**
 * Ask the injected checker and apply the policy: revoked → `jwt_vc.status_revoked`, suspended →
 * `jwt_vc.status_suspended`, undetermined → reported (or `jwt_vc.status_undetermined` when rejected).
 * A checker error about the entry itself (index out of range, purpose mismatch) is the credential's fault.
 */
export async function checkCredentialStatus(
  status: JsonValue,
  checker: StatusChecker,
  now: number,
  policy: JwtVcStatusPolicy = {},
): Promise<CredentialStatusResult> {
  let r: CredentialStatusResult
  try {
    r = await checker.check(status, { now })
  } catch (e) {
    if (isVcError(e)) throw new JwtVcError('jwt_vc.status_invalid', 'the credentialStatus entry is invalid', { cause: e })
    r = { state: 'undetermined', reason: 'jwt_vc.status_undetermined' }
  }
  if (policy.mode === 'report') return r
  if (r.state === 'invalid')
    throw new JwtVcError('jwt_vc.status_revoked', 'the credential is revoked', { details: { status: r } })
  if (r.state === 'suspended')
    throw new JwtVcError('jwt_vc.status_suspended', 'the credential is suspended', { details: { status: r } })
  if (r.state === 'undetermined' && policy.rejectUndetermined)
    throw new JwtVcError('jwt_vc.status_undetermined', 'the credential status could not be determined', {
      details: { status: r },
    })
  return r
}
