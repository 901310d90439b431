/**
 * Parameters of the pairing curve used by anoncreds-clsignatures-rs: AMCL's (Apache Milagro, crate `amcl` 0.2.0 =
 * milagro `version3/rust`) `bn254` — the Barreto–Naehrig curve y² = x³ + 2 with BN parameter u = −(2^62 + 2^55 + 1)
 * (a.k.a. Fp254BNb, NOT Ethereum's alt_bn128), from `src/roms/rom_bn254_64.rs`. G2 lives on the D-type sextic twist
 * y² = x³ + 2/ξ = x³ + (1 − i) over Fp2 = Fp[i]/(i² + 1), ξ = 1 + i. The tower is AMCL's: Fp4 = Fp2[s]/(s² − ξ),
 * Fp12 = Fp4[w]/(w³ − s).
 */

/** Field modulus p = 36u⁴ + 36u³ + 24u² + 6u + 1 (rom MODULUS). */
export const P = 0x2523648240000001ba344d80000000086121000000000013a700000000000013n
/** Group order r = 36u⁴ + 36u³ + 18u² + 6u + 1 (rom CURVE_ORDER); G1 has cofactor 1. */
export const R = 0x2523648240000001ba344d8000000007ff9f800000000010a10000000000000dn
/** |u| (rom CURVE_BNX; SIGN_OF_X = NEGATIVEX). */
export const BN_X = 0x4080000000000001n
/** Curve coefficient b (rom CURVE_B). */
export const CURVE_B = 2n
/** Frobenius constant f = FRA + FRB·i (rom FRA, FRB). */
export const FRA = 0x1b377619212e7c8cb6499b50a846953f850974924d3f77c2e17de6c06f2a6de9n
export const FRB = 0x09ebee691ed1837503eab22f57b96ac8dc178b6db2c08850c582193f90d5922an
/** G1 generator (rom CURVE_GX, CURVE_GY): (p − 1, 1). */
export const G1_X = P - 1n
export const G1_Y = 1n
/** G2 generator (rom CURVE_PXA, CURVE_PXB, CURVE_PYA, CURVE_PYB). */
export const G2_XA = 0x061a10bb519eb62feb8d8c7e8c61edb6a4648bbb4898bf0d91ee4224c803fb2bn
export const G2_XB = 0x0516aaf9ba737833310aa78c5982aa5b1f4d746bae3784b70d8c34c1e7d54cf3n
export const G2_YA = 0x021897a06baf93439a90e096698c822329bd0ae6bdbe09bd19f0e07891cd2b9an
export const G2_YB = 0x0ebb2b0e7c8b15268f6d4456f5f38d37b09006ffd739c9578a2d1aec6b3ace9bn
/** Bytes of a field element / group-order element (rom MODBYTES). */
export const MODBYTES = 32
/**
 * AMCL keeps field elements in Montgomery form x·R mod p with R = 2^(BASEBITS·NLEN) = 2^(56·5); its `to_hex`
 * strings ("<excess> <hex>") show that internal value.
 */
export const MONT_R = (1n << 280n) % P
