export * from './dcql/index.js'
export * from './errors.js'
export * from './validate.js'
