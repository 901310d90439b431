export * from './base58.js'
export * from './did.js'
export * from './errors.js'
