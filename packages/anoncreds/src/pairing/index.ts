export { GroupOrderElement, Pair, PointG1, PointG2 } from './groups.js'
export * as pairingParams from './params.js'
