/**
 * The holder's revocation state (AnonCreds v1 §Holder Create and Update Witness; anoncreds-rs
 * `create_or_update_revocation_state`): the witness of credential `revRegIdx` against the accumulator of a status
 * list, with the list's timestamp. A new state starts from "every credential issued" and takes the list's set bits
 * as revoked (Witness::new with issuance by default, as anoncreds-rs); an update applies the bits that changed
 * since `previousStatusList` (Witness::update).
 */
import { AnonCredsError } from '../errors.js'
import {
  parseRevocationRegistryDefinition,
  parseRevocationStatusList,
  type RevocationRegistryDefinition,
  type RevocationStatusList,
} from '../objects/revocation.js'
import { checkRevIdx, type TailsAccessor, TailsFileAccessor, tailsFileHash } from '../revocation/registry.js'
import { createWitness, updateWitness } from '../revocation/witness.js'
import { type CredentialRevocationState, parseCredentialRevocationState } from './revocation-objects.js'
import { witnessJson, witnessOf } from './wire-revocation.js'

const misuse = (message: string): never => {
  throw new AnonCredsError('anoncreds.options_invalid', message)
}

/** The tails file's bytes (checked against the definition's `tailsHash`) or an accessor the caller trusts. */
export type TailsSource = Uint8Array | TailsAccessor

function tailsAccessorOf(source: TailsSource, def: RevocationRegistryDefinition): TailsAccessor {
  if (!(source instanceof Uint8Array)) return source
  if (tailsFileHash(source) !== def.value.tailsHash) {
    throw new AnonCredsError('anoncreds.invalid_object', 'the tails file does not match the registry tailsHash')
  }
  return new TailsFileAccessor(source)
}

/** `create_index_deltas`: indexes whose bit changed, split by their new value (1 = revoked). */
function indexDeltas(now: readonly number[], before: readonly number[]) {
  if (now.length !== before.length) misuse('the status lists differ in length')
  const issued = new Set<number>()
  const revoked = new Set<number>()
  now.forEach((bit, i) => {
    if (bit !== before[i]) (bit === 1 ? revoked : issued).add(i)
  })
  return { issued, revoked }
}

/**
 * Creates (without `previousState`) or updates the revocation state of credential `revRegIdx`. Both
 * `previousState` and `previousStatusList` (the list that state was made from) are needed for an update; the new
 * list must have an accumulator and a timestamp.
 * @example const state = createOrUpdateRevocationState(revRegDef, statusList, cred.signature.r_credential.i, tailsBytes)
 */
export function createOrUpdateRevocationState(
  revocationRegistryDefinition: RevocationRegistryDefinition,
  statusList: RevocationStatusList,
  revRegIdx: number,
  tails: TailsSource,
  previousState?: CredentialRevocationState,
  previousStatusList?: RevocationStatusList,
): CredentialRevocationState {
  const def = parseRevocationRegistryDefinition(revocationRegistryDefinition)
  const list = parseRevocationStatusList(statusList)
  const maxCredNum = def.value.maxCredNum
  checkRevIdx(revRegIdx, maxCredNum)
  const accum = list.currentAccumulator ?? misuse('revocation registry is required to create or update the revocation state')
  const timestamp = list.timestamp ?? misuse('Timestamp is required to create or update the revocation state')
  if ((previousState === undefined) !== (previousStatusList === undefined)) {
    misuse('previousState and previousStatusList go together')
  }
  const accessor = tailsAccessorOf(tails, def)
  let witness: ReturnType<typeof createWitness>
  if (previousState !== undefined && previousStatusList !== undefined) {
    const prev = parseCredentialRevocationState(previousState)
    const before = parseRevocationStatusList(previousStatusList)
    const delta = indexDeltas(list.revocationList, before.revocationList)
    witness = updateWitness(witnessOf(prev.witness), revRegIdx, maxCredNum, delta, accessor)
  } else {
    const delta = indexDeltas(
      list.revocationList,
      list.revocationList.map(() => 0),
    )
    witness = createWitness(revRegIdx, maxCredNum, true, delta, accessor)
  }
  return parseCredentialRevocationState({ witness: witnessJson(witness), rev_reg: { accum }, timestamp })
}
