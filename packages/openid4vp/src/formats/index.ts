export * from './jwt-vc-json.js'
export * from './mso-mdoc.js'
export * from './sd-jwt-vc.js'
