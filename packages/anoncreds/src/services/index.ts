export {
  type CreateCredentialRequestResult,
  type CredentialRequester,
  createCredentialRequest,
  createLinkSecret,
  processCredential,
} from './holder.js'
export {
  type CreateCredentialDefinitionOptions,
  type CreateCredentialDefinitionResult,
  type CreateCredentialOptions,
  createCredential,
  createCredentialDefinition,
  createCredentialOffer,
  createSchema,
  credentialValues,
} from './issuer.js'
export { createPresentation, type PresentCredential, type RequestedCredentials } from './presentation.js'
export {
  type CredentialDefinitionPrivate,
  type CredentialRequestMetadata,
  parseCredentialDefinitionPrivate,
  parseCredentialRequestMetadata,
  zCredentialDefinitionPrivate,
  zCredentialRequestMetadata,
} from './private-objects.js'
export { type AttributeValueMap, type RestrictionFilter, restrictionHolds } from './restriction-check.js'
export { type VerifyPresentationOptions, type VerifyPresentationResult, verifyPresentation } from './verifier.js'
export type { NonRevokedIntervalOverride } from './verifier-timestamps.js'
export {
  clCredentialSchemaOf,
  clCredentialValuesOf,
  clPredicateOf,
  clProofOf,
  keyCorrectnessProofJson,
  keyCorrectnessProofOf,
  primaryPublicKeyJson,
  primaryPublicKeyOf,
  proofJson,
} from './wire.js'
