export * from './authenticate.js'
export * from './prefix.js'
export * from './verifier-attestation.js'
