export * from './sd-jwt-vc.js'
