/**
 * Issuer operations for revocation over AnonCreds JSON objects, as anoncreds-rs `src/services/issuer.rs`
 * (AnonCreds v1 §Issuer Create and Publish Revocation Registry Objects, §Publishing the Initial Initial Revocation
 * Status List Object, §Revoking / Unrevoking credentials): `create_revocation_registry_def`,
 * `create_revocation_status_list`, `update_revocation_status_list(_timestamp_only)`, and the non-revocation part of
 * `create_credential` (`CredentialRevocationConfig`).
 *
 * Status-list indexes are the registry indexes themselves, as in anoncreds-rs: bit `i` of `revocationList` (length
 * `maxCredNum`) is credential `i`, so the usable indexes are 1..maxCredNum − 1 (clsignatures has no index 0, the list
 * has no bit maxCredNum).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AnonCredsError } from '../errors.js'
import { type CredentialDefinition, parseCredentialDefinition } from '../objects/credential-definition.js'
import {
  parseRevocationRegistryDefinition,
  parseRevocationStatusList,
  type RevocationRegistryDefinition,
  type RevocationStatusList,
} from '../objects/revocation.js'
import { PointG1 } from '../pairing/groups.js'
import { issueNonRevocationCredential } from '../revocation/issue.js'
import { createRevocationRegistryKeys } from '../revocation/keys.js'
import {
  createTailsFile,
  initialRevocationRegistry,
  RevocationTailsGenerator,
  updateRevocationRegistry,
} from '../revocation/registry.js'
import type { CredentialRevocationPublicKey } from '../revocation/types.js'
import type { CredentialDefinitionPrivate } from './private-objects.js'
import { parseRevocationRegistryDefinitionPrivate, type RevocationRegistryDefinitionPrivate } from './revocation-objects.js'
import {
  accumulatorOf,
  credentialRevocationPrivateKeyOf,
  credentialRevocationPublicKeyOf,
  nonRevocationCredentialSignatureJson,
  revocationKeyPrivateJson,
  revocationKeyPrivateOf,
  revocationKeyPublicJson,
  revocationRegistryJson,
  witnessJson,
} from './wire-revocation.js'

const misuse = (message: string, details?: Record<string, unknown>): never => {
  throw new AnonCredsError('anoncreds.options_invalid', message, details ? { details } : undefined)
}

/** The credential definition's revocation key (`anoncreds.options_invalid` when it does not support revocation). */
export function revocationPublicKeyOf(credDef: CredentialDefinition): CredentialRevocationPublicKey {
  const r = credDef.value.revocation ?? misuse('the credential definition does not support revocation')
  return credentialRevocationPublicKeyOf(r)
}

/** Stores the tails file and returns its `tailsLocation` (a path, a URL, whatever holders will be given). */
export type TailsWriter = (file: { readonly bytes: Uint8Array; readonly hash: string }) => string | Promise<string>

/** anoncreds-rs `TailsFileWriter`: the file named by its hash in `dir`; the location is that path. */
export function tailsDirectoryWriter(dir: string): TailsWriter {
  return async ({ bytes, hash }) => {
    await mkdir(dir, { recursive: true })
    const path = join(dir, hash)
    await writeFile(path, bytes)
    return path
  }
}

export interface CreateRevocationRegistryDefinitionResult {
  readonly revocationRegistryDefinition: RevocationRegistryDefinition
  readonly revocationRegistryDefinitionPrivate: RevocationRegistryDefinitionPrivate
  /** The tails file as written (holders need it to build witnesses), its base58 SHA-256 and location. */
  readonly tailsFile: { readonly bytes: Uint8Array; readonly hash: string; readonly location: string }
}

/**
 * A registry of `maxCredNum` credentials (`create_revocation_registry_def`): fresh γ, z = e(g, g')^(γ^(L+1)), and
 * the tails file (2L + 1 G2 points) handed to `tails` — a directory (written as anoncreds-rs does) or a writer.
 * @example const { revocationRegistryDefinition } = await createRevocationRegistryDefinition(credDef, credDefId,
 *   issuerId, 'default', 'CL_ACCUM', 100, tailsDirectoryWriter('/var/tails'))
 */
export async function createRevocationRegistryDefinition(
  credentialDefinition: CredentialDefinition,
  credentialDefinitionId: string,
  issuerId: string,
  tag: string,
  revocationRegistryType: 'CL_ACCUM',
  maxCredNum: number,
  tails: string | TailsWriter,
): Promise<CreateRevocationRegistryDefinitionResult> {
  const credDef = parseCredentialDefinition(credentialDefinition)
  if (revocationRegistryType !== 'CL_ACCUM') misuse('unsupported revocation registry type')
  if (issuerId !== credDef.issuerId) misuse('issuerId is not the credential definition issuer')
  const pk = revocationPublicKeyOf(credDef)
  const keys = createRevocationRegistryKeys(pk, maxCredNum)
  const file = createTailsFile(new RevocationTailsGenerator(maxCredNum, keys.privateKey.gamma, pk.g_dash))
  const write = typeof tails === 'string' ? tailsDirectoryWriter(tails) : tails
  const location = await write(file)
  const revocationRegistryDefinition = parseRevocationRegistryDefinition({
    issuerId,
    revocDefType: revocationRegistryType,
    tag,
    credDefId: credentialDefinitionId,
    value: {
      maxCredNum,
      publicKeys: { accumKey: revocationKeyPublicJson(keys.publicKey) },
      tailsLocation: location,
      tailsHash: file.hash,
    },
  })
  return {
    revocationRegistryDefinition,
    revocationRegistryDefinitionPrivate: { value: revocationKeyPrivateJson(keys.privateKey) },
    tailsFile: { bytes: file.bytes, hash: file.hash, location },
  }
}

function statusListJson(
  revRegDefId: string | null | undefined,
  issuerId: string,
  bits: readonly (0 | 1)[],
  accum: string | undefined,
  timestamp: number | null | undefined,
): RevocationStatusList {
  return parseRevocationStatusList({
    ...(revRegDefId != null ? { revRegDefId } : {}),
    issuerId,
    revocationList: [...bits],
    ...(accum !== undefined ? { currentAccumulator: accum } : {}),
    ...(timestamp != null ? { timestamp } : {}),
  })
}

/**
 * The registry's first status list (`create_revocation_status_list`): with issuance by default every credential is
 * in the accumulator and every bit 0; otherwise the accumulator is empty and every bit 1 (set on issuance).
 */
export function createRevocationStatusList(
  credentialDefinition: CredentialDefinition,
  revocationRegistryDefinitionId: string,
  revocationRegistryDefinition: RevocationRegistryDefinition,
  revocationRegistryDefinitionPrivate: RevocationRegistryDefinitionPrivate,
  timestamp: number | undefined,
  issuanceByDefault: boolean,
): RevocationStatusList {
  const def = parseRevocationRegistryDefinition(revocationRegistryDefinition)
  const priv = revocationKeyPrivateOf(parseRevocationRegistryDefinitionPrivate(revocationRegistryDefinitionPrivate).value)
  const pk = revocationPublicKeyOf(parseCredentialDefinition(credentialDefinition))
  const maxCredNum = def.value.maxCredNum
  const registry = initialRevocationRegistry(pk, priv, maxCredNum, issuanceByDefault)
  const bits = new Array<0 | 1>(maxCredNum).fill(issuanceByDefault ? 0 : 1)
  return statusListJson(revocationRegistryDefinitionId, def.issuerId, bits, registry.accum.toString(), timestamp)
}

/** Registry indexes that must each be a bit of the list, and not 0 (clsignatures counts from 1). */
function checkIndexes(indexes: readonly number[], listLength: number): void {
  for (const i of indexes) {
    if (!Number.isInteger(i) || i < 1 || i >= listLength) misuse('revocation registry index out of range', { index: i })
  }
}

/**
 * Issues and revokes credentials (`update_revocation_status_list`): indexes already in the requested state are
 * skipped, the accumulator is updated with the tails of the others, their bits set (issued 0, revoked 1), and the
 * timestamp replaced when given. An index outside 1..maxCredNum − 1 throws `anoncreds.options_invalid`
 * (anoncreds-rs drops it silently).
 */
export function updateRevocationStatusList(
  credentialDefinition: CredentialDefinition,
  revocationRegistryDefinition: RevocationRegistryDefinition,
  revocationRegistryDefinitionPrivate: RevocationRegistryDefinitionPrivate,
  currentStatusList: RevocationStatusList,
  issued?: Iterable<number>,
  revoked?: Iterable<number>,
  timestamp?: number,
): RevocationStatusList {
  const def = parseRevocationRegistryDefinition(revocationRegistryDefinition)
  const priv = revocationKeyPrivateOf(parseRevocationRegistryDefinitionPrivate(revocationRegistryDefinitionPrivate).value)
  const pk = revocationPublicKeyOf(parseCredentialDefinition(credentialDefinition))
  const current = parseRevocationStatusList(currentStatusList)
  const bits = [...current.revocationList]
  const iss = [...new Set(issued ?? [])]
  const rev = [...new Set(revoked ?? [])]
  checkIndexes([...iss, ...rev], bits.length)
  const toIssue = iss.filter((i) => bits[i] === 1)
  const toRevoke = rev.filter((i) => bits[i] === 0)
  if (current.currentAccumulator == null) misuse('Require Accumulator Value to update Rev Status List')
  const { registry } = updateRevocationRegistry(
    { accum: accumulatorOf(current.currentAccumulator!) },
    pk,
    priv,
    def.value.maxCredNum,
    toIssue,
    toRevoke,
  )
  for (const i of toIssue) bits[i] = 0
  for (const i of toRevoke) bits[i] = 1
  const ts = timestamp ?? current.timestamp
  return statusListJson(current.revRegDefId, current.issuerId, bits, registry.accum.toString(), ts)
}

/** The same list at a new timestamp (`update_revocation_status_list_timestamp_only`). */
export function updateRevocationStatusListTimestampOnly(
  timestamp: number,
  currentStatusList: RevocationStatusList,
): RevocationStatusList {
  return parseRevocationStatusList({ ...parseRevocationStatusList(currentStatusList), timestamp })
}

/** `CredentialRevocationConfig`: the registry a revocable credential is issued into, at `registryIndex`. */
export interface CredentialRevocationConfig {
  readonly revRegDefId: string
  readonly revRegDef: RevocationRegistryDefinition
  readonly revRegDefPrivate: RevocationRegistryDefinitionPrivate
  readonly statusList: RevocationStatusList
  readonly registryIndex: number
}

/** Checks a revocation config against the credential definition; returns the parsed parts. */
export function checkRevocationConfig(config: CredentialRevocationConfig, credDefId: string) {
  const def = parseRevocationRegistryDefinition(config.revRegDef)
  const list = parseRevocationStatusList(config.statusList)
  if (def.credDefId !== credDefId) misuse('the revocation registry is for another credential definition')
  if (list.revRegDefId != null && list.revRegDefId !== config.revRegDefId) {
    misuse('the status list is for another revocation registry')
  }
  const idx = config.registryIndex
  checkIndexes([idx], list.revocationList.length)
  if (list.currentAccumulator == null) misuse('RevocationStatusList should have accumulator value')
  return { def, list, accum: list.currentAccumulator!, idx }
}

/**
 * The non-revocation part of `create_credential`: signs the holder's `ur` with the credential context `m2`, and
 * returns the credential members `r_credential`, `rev_reg_id`, `rev_reg` (the accumulator including this credential)
 * and `witness`. Issuance by default unless the status list has the index's bit set (anoncreds-rs' convention).
 */
export function issueRevocationPart(
  credDef: CredentialDefinition,
  credDefPrivate: CredentialDefinitionPrivate,
  config: CredentialRevocationConfig,
  credDefId: string,
  ur: string | null | undefined,
  credentialContext: bigint,
) {
  const { def, list, accum, idx } = checkRevocationConfig(config, credDefId)
  const rKey = credDefPrivate.value.r_key ?? misuse('the credential definition private part has no revocation key')
  if (ur == null) {
    throw new AnonCredsError('anoncreds.request_invalid', 'the credential request has no blinded revocation secret (ur)')
  }
  const issued = issueNonRevocationCredential({
    revIdx: idx,
    credentialContext,
    ur: PointG1.fromString(ur),
    publicKey: revocationPublicKeyOf(credDef),
    privateKey: credentialRevocationPrivateKeyOf(rKey),
    maxCredNum: def.value.maxCredNum,
    issuanceByDefault: list.revocationList[idx] === 0,
    registry: { accum: accumulatorOf(accum) },
    revKeyPrivate: revocationKeyPrivateOf(parseRevocationRegistryDefinitionPrivate(config.revRegDefPrivate).value),
  })
  return {
    r_credential: nonRevocationCredentialSignatureJson(issued.signature),
    rev_reg_id: config.revRegDefId,
    rev_reg: revocationRegistryJson(issued.registry),
    witness: witnessJson(issued.witness),
  }
}
