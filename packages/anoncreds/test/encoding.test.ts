import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodeAttribute, isEncodingOf } from '../src/encoding.js'
import { AnonCredsError, attrCommonView, encodeCredentialAttribute } from '../src/index.js'

const sha = (s: string) => BigInt(`0x${createHash('sha256').update(s, 'utf8').digest('hex')}`).toString()

// hyperledger/anoncreds-rs@08317a7428af src/services/issuer.rs `test_encode_attribute`, copied verbatim
const ANONCREDS_RS_VECTORS: Array<[string, string]> = [
  ['101 Wilson Lane', '68086943237164982734333428280784300550565381723532936263016368251445461241953'],
  ['87121', '87121'],
  ['SLC', '101327353979588246869873249766058188995681113722618593621043638294296500696424'],
  ['101 Tela Lane', '63690509275174663089934667471948380740244018358024875547775652380902762701972'],
  ['UT', '93856629670657830351991220989031130499313559332549427637940645777813964461231'],
  ['', '102987336249554097029535212322581322789799900648198034993379397001115665086549'],
  ['None', '99769404535520360775991420569103450442789945655240760487761322098828903685777'],
  ['0', '0'],
  ['1', '1'],
  ['2147483647', '2147483647'],
  ['2147483648', '26221484005389514539852548961319751347124425277437769688639924217837557266135'],
  ['-2147483648', '-2147483648'],
  ['-2147483649', '68956915425095939579909400566452872085353864667122112803508671228696852865689'],
  ['0.0', '62838607218564353630028473473939957328943626306458686867332534889076311281879'],
  ['\x00', '49846369543417741186729467304575255505141344055555831574636310663216789168157'],
  ['\x01', '34356466678672179216206944866734405838331831190171667647615530531663699592602'],
  ['\x02', '99398763056634537812744552006896172984671876672520535998211840060697129507206'],
]

describe('AnonCreds v1 §Encoding Attribute Data', () => {
  for (const [raw, encoded] of ANONCREDS_RS_VECTORS) {
    it(`anoncreds-rs test_encode_attribute: ${JSON.stringify(raw)}`, () => {
      expect(encodeAttribute(raw)).toBe(encoded)
      expect(isEncodingOf(raw, encoded)).toBe(true)
    })
  }

  it('follows Rust str::parse::<i32>: sign, leading zeros and -0 are integers', () => {
    expect(encodeAttribute('01')).toBe('1')
    expect(encodeAttribute('+5')).toBe('5')
    expect(encodeAttribute('-0')).toBe('0')
    expect(encodeAttribute('-007')).toBe('-7')
    expect(encodeAttribute('0000000000002147483647')).toBe('2147483647')
  })

  it('hashes what Rust does not parse as i32: whitespace, floats, exponents, hex, underscores, bare signs', () => {
    for (const raw of [' 5', '5 ', '1.0', '1e3', '0x10', '1_000', '+', '-', '+-1', '٣', '20030101.5']) {
      expect(encodeAttribute(raw), raw).toBe(sha(raw))
    }
  })

  it('spec example: a _dateint value stays an integer', () => {
    expect(encodeAttribute('19981119')).toBe('19981119')
  })

  it('hashes UTF-8 bytes', () => {
    expect(encodeAttribute('Zoë ✓')).toBe(sha('Zoë ✓'))
  })

  it('non-string raw values: null is "None", booleans are 1/0, i32 numbers are themselves', () => {
    expect(encodeAttribute(null)).toBe('99769404535520360775991420569103450442789945655240760487761322098828903685777')
    expect(encodeAttribute(true)).toBe('1')
    expect(encodeAttribute(false)).toBe('0')
    expect(encodeAttribute(-0)).toBe('0')
    expect(encodeAttribute(2147483647)).toBe('2147483647')
    expect(encodeAttribute(2147483648)).toBe('26221484005389514539852548961319751347124425277437769688639924217837557266135')
  })

  it('refuses numbers without one decimal spelling and lone surrogates', () => {
    for (const raw of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '\uD800x']) {
      try {
        encodeAttribute(raw)
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(AnonCredsError)
        expect((e as AnonCredsError).code).toBe('anoncreds.invalid_object')
      }
    }
  })
})

describe('attribute name normalization (anoncreds-rs attr_common_view)', () => {
  it('removes ASCII spaces and lowercases', () => {
    expect(attrCommonView('First Name')).toBe('firstname')
    expect(attrCommonView(' A g E ')).toBe('age')
    expect(attrCommonView('tab\tname')).toBe('tab\tname')
  })
})

describe('exports', () => {
  it('encodeCredentialAttribute is the string-returning encoder', () => {
    expect(encodeCredentialAttribute('87121')).toBe('87121')
  })
})
