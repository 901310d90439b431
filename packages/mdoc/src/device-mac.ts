import { createHash, createHmac, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto'
import { bytesEqual } from '@bonafide/core'
import { type CborValue, decodeCbor, encodeCbor, Tagged } from '@bonafide/cose'
import { importPublicKey, type PublicJwk } from '@bonafide/keys'
import { MdocError } from './errors.js'

/** SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript). */
export function sessionTranscriptBytes(sessionTranscript: CborValue): Uint8Array {
  return encodeCbor(new Tagged(24, encodeCbor(sessionTranscript)))
}

/** EMacKey (ISO 18013-5 §9.1.3.5): HKDF-SHA-256 over the ECDH secret, salt SHA-256(SessionTranscriptBytes), info "EMacKey". */
export function eMacKey(
  ownPrivateKey: KeyObject,
  otherPublicKey: PublicJwk | KeyObject,
  sessionTranscript: CborValue,
): Uint8Array {
  const publicKey = 'kty' in otherPublicKey ? importPublicKey(otherPublicKey) : otherPublicKey
  const z = diffieHellman({ privateKey: ownPrivateKey, publicKey })
  const salt = createHash('sha256').update(sessionTranscriptBytes(sessionTranscript)).digest()
  return new Uint8Array(hkdfSync('sha256', z, salt, 'EMacKey', 32))
}

/** MAC_structure for COSE_Mac0 (RFC 9052 §6.3) with an empty external AAD. */
export function mac0(key: Uint8Array, protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHmac('sha256', key)
      .update(encodeCbor(['MAC0', protectedBytes, new Uint8Array(0), payload]))
      .digest(),
  )
}

/** Build a detached COSE_Mac0 (HMAC 256/256, alg 5) over DeviceAuthenticationBytes. */
export function createDeviceMac(key: Uint8Array, deviceAuthenticationBytes: Uint8Array): CborValue[] {
  const prot = encodeCbor(new Map<CborValue, CborValue>([[1, 5]]))
  return [prot, new Map(), null, mac0(key, prot, deviceAuthenticationBytes)]
}

/** Verify a detached deviceMac with the EMacKey the reader derives from its own private key. */
export function verifyDeviceMac(mac: unknown, key: Uint8Array, deviceAuthenticationBytes: Uint8Array): void {
  if (!Array.isArray(mac) || mac.length !== 4) throw new MdocError('mdoc.structure_invalid', 'deviceMac must be a COSE_Mac0')
  const [prot, , payload, tag] = mac
  if (!(prot instanceof Uint8Array) || !(tag instanceof Uint8Array) || payload !== null)
    throw new MdocError('mdoc.structure_invalid', 'deviceMac is malformed')
  const header = decodeCbor(prot)
  if (!(header instanceof Map) || header.get(1) !== 5)
    throw new MdocError('mdoc.device_auth_unsupported', 'deviceMac alg must be HMAC 256/256')
  if (!bytesEqual(mac0(key, prot, deviceAuthenticationBytes), tag))
    throw new MdocError('mdoc.device_signature_invalid', 'deviceMac does not verify')
}
