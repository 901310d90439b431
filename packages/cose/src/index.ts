export * from './cbor.js'
export * from './cbor-encode.js'
export * from './errors.js'
export * from './sign1.js'
