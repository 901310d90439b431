/** Bit sizes of the CL-signature scheme, as anoncreds-clsignatures-rs `src/constants.rs`. */
export const LARGE_LINK_SECRET = 256
export const LARGE_E_START = 596
export const LARGE_E_END_RANGE = 119
export const LARGE_PRIME = 1024
export const LARGE_VPRIME = 2128
export const LARGE_VPRIME_PRIME = 2724
export const LARGE_MVECT = 592
export const LARGE_ETILDE = 456
export const LARGE_VTILDE = 3060
export const LARGE_UTILDE = 592
export const LARGE_MTILDE = 593
export const LARGE_M2TILDE = 2432
export const LARGE_VPRIME_TILDE = 673
export const LARGE_RTILDE = 672
export const ITERATION = 4
export const LARGE_NONCE = 80
export const LARGE_ALPHATILDE = 2787

/** 2^LARGE_E_START: the smallest value `e` can take. */
export const LARGE_E_START_VALUE = 1n << BigInt(LARGE_E_START)
/** 2^(LARGE_VPRIME_PRIME − 1): the top bit forced into v''. */
export const LARGE_VPRIME_PRIME_VALUE = 1n << BigInt(LARGE_VPRIME_PRIME - 1)
