export * from './match.js'
export * from './query.js'
