export * from './proofs.js'
export * from './wallet-client.js'
