export * from './dev-pki.js'
export * from './vectors.js'
