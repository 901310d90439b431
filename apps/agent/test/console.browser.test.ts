/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core), against a real agent on
 * loopback: issuer → web wallet (a batch of 5) → verifier asking PID + mDL in one session (OpenID4VP 1.0 §6
 * DCQL) → consent → the verifier page's result; the same after revocation (Token Status List §8: the status
 * check fails and says why); the batch playground with a key attestation (OpenID4VCI 1.0 Appendix D.1).
 * Screenshots of the key screens go to test-output/console/. Skips with a notice when Chromium is absent,
 * except in CI (.ci/run installs it), where its absence fails.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/env.js'
import { type RunningAgent, startAgent } from '../src/server.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const present = existsSync(CHROMIUM)
if (!present && process.env.CI)
  throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium)`)
if (!present) console.warn(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`)
const OUT = join(import.meta.dirname, '..', '..', '..', 'test-output', 'console')

describe.skipIf(!present)('web console in Chromium', () => {
  let agent: RunningAgent
  let dir: string
  let browser: Browser
  const errors: string[] = []

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true })
    dir = await mkdtemp(join(tmpdir(), 'bonafide-console-'))
    agent = await startAgent(loadConfig({ PORT: '0', BONAFIDE_DATA: dir, BONAFIDE_KEK: 'c'.repeat(64), BONAFIDE_LOG: 'silent' }))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await agent?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** A signed-in tab (the API key lives in each tab's sessionStorage). */
  async function tab(width = 1280, height = 900): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } })
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.goto(`${agent.url}/console`)
    await page.getByLabel('API key').fill(agent.ctx.firstAdminKey as string)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Issuer', level: 1 }).waitFor()
    return page
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true })

  /** Issuer page: an offer for `configurationId`; then the web wallet receives `count` copies. */
  async function issueToWallet(issuer: Page, wallet: Page, configurationId: string, count: number, name: string) {
    await issuer.goto(`${agent.url}/console#/issuer`)
    await issuer.locator('select[name="configuration"]').selectOption(configurationId)
    await issuer.getByRole('button', { name: 'Create offer' }).click()
    const link = await issuer.getByTestId('offer-link').inputValue()
    expect(link).toMatch(/^openid-credential-offer:\/\//)
    await shot(issuer, `issuer-offer-${name}`)
    await wallet.goto(`${agent.url}/console#/wallet?offer=${encodeURIComponent(link)}`)
    await wallet.getByLabel('Copies (batch)').fill(String(count))
    await wallet.getByRole('button', { name: 'Receive' }).click()
    await wallet.getByText(`Received ${count} copies`).waitFor()
    // the issuer page followed the session live through the event stream
    await issuer.getByTestId('issuance-state').getByText('credentials issued').waitFor()
  }

  /** Verifier page: a PID + mDL request; the wallet opens it, consents; returns the verifier page. */
  async function requestAndAnswer(verifier: Page, wallet: Page, name: string) {
    await verifier.goto(`${agent.url}/console#/verifier`)
    await verifier.getByRole('button', { name: 'PID + mDL' }).click()
    await verifier.getByRole('button', { name: 'Create request' }).click()
    const request = await verifier.getByTestId('request-link').inputValue()
    expect(request).toMatch(/^openid4vp:\/\//)
    await wallet.goto(`${agent.url}/console#/wallet?request=${encodeURIComponent(request)}`)
    await wallet.getByRole('heading', { name: 'Consent' }).waitFor()
    await expect(wallet.getByText('given_name: "Erika"').count()).resolves.toBeGreaterThan(0)
    await shot(wallet, `wallet-consent-${name}`)
    await wallet.getByRole('button', { name: 'Share' }).click()
    await wallet.getByTestId('wallet-outcome').waitFor()
    return wallet.getByTestId('wallet-outcome').innerText()
  }

  it('issuer → wallet (batch of 5) → verifier asks PID + mDL → consent → accepted; then revoked → rejected with the reason', async () => {
    const issuer = await tab()
    const wallet = await tab()
    const verifier = await tab()
    await issueToWallet(issuer, wallet, 'pid_sd_jwt', 5, 'pid')
    await issueToWallet(issuer, wallet, 'mdl_mdoc', 5, 'mdl')
    await expect(wallet.getByTestId('pool-urn:eudi:pid:1').getByTestId('unused').innerText()).resolves.toBe('5')
    await expect(wallet.getByTestId('pool-org.iso.18013.5.1.mDL').getByTestId('unused').innerText()).resolves.toBe('5')
    await shot(wallet, 'wallet-cards')

    await requestAndAnswer(verifier, wallet, 'valid')
    await verifier.getByTestId('verdict').getByText('every query verified').waitFor()
    await expect(verifier.getByTestId('query-pid').innerText()).resolves.toContain('status: passed')
    await expect(verifier.getByTestId('query-mdl').innerText()).resolves.toContain('issuer_signature: passed')
    await verifier.getByRole('button', { name: 'Accept' }).click()
    await verifier.getByTestId('presentation-state').getByText('accepted').waitFor()
    await shot(verifier, 'verifier-accepted')
    await expect(wallet.getByTestId('pool-urn:eudi:pid:1').getByTestId('unused').innerText()).resolves.toBe('4')

    // the batch's unlinkability audit, from the issuer page
    await issuer.goto(`${agent.url}/console#/issuer`)
    await issuer
      .locator('tr', { hasText: 'pid_sd_jwt' })
      .first()
      .getByRole('button', { name: /^audit batch/ })
      .click()
    await expect(issuer.getByTestId('batch-audit').innerText()).resolves.toContain('unlinkable')
    // revoke the PID batch from the issuer page: the published status list shows it, the next presentation fails
    await issuer.goto(`${agent.url}/console#/issuer`)
    const row = issuer.locator('tr', { hasText: 'pid_sd_jwt' }).first()
    await row.getByRole('button', { name: /^revoke batch/ }).click()
    await issuer.locator('tr', { hasText: 'pid_sd_jwt' }).first().getByText('revoked').waitFor()
    await issuer.locator('tr', { hasText: 'pid_sd_jwt' }).first().locator('td').nth(3).getByRole('button').click()
    await expect(issuer.getByTestId('published-status').innerText()).resolves.toContain('= 1 (invalid (revoked))')
    await shot(issuer, 'issuer-revoked')

    // the wallet's answer is delivered (the response endpoint takes it); the verdict is the verifier's
    await requestAndAnswer(verifier, wallet, 'revoked')
    await verifier.getByTestId('presentation-state').getByText('verification failed').waitFor()
    await expect(verifier.getByTestId('verdict').innerText()).resolves.toMatch(/rejected/)
    await expect(verifier.getByTestId('query-pid').innerText()).resolves.toMatch(/status: failed/)
    await shot(verifier, 'verifier-rejected-revoked')
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
  }, 120_000)

  it('batch playground: N=5, batch_size=3 with a key attestation → 3 credentials, 1 wallet signature, 2 wasted keys', async () => {
    const page = await tab()
    await page.goto(`${agent.url}/console#/playground`)
    await page.getByTestId('credentials').waitFor()
    await page.getByLabel('one proof + key attestation (OpenID4VCI)').check()
    await page.getByTestId('attested').getByText('5').waitFor()
    await expect(page.getByTestId('credentials').innerText()).resolves.toBe('3')
    await expect(page.getByTestId('signatures').innerText()).resolves.toBe('1')
    await expect(page.getByTestId('wasted').innerText()).resolves.toBe('2')
    await expect(page.getByTestId('audit').innerText()).resolves.toContain('unlinkable')
    await page.getByRole('button', { name: /^Key attestation/ }).click()
    await expect(page.locator('.artifact-detail').innerText()).resolves.toContain('attested_keys')
    await shot(page, 'playground-key-attestation')
    // the keyboard moves the slider: batch_size 3 → 4 binds one more key
    await page.getByLabel(/batch_size/).focus()
    await page.keyboard.press('ArrowRight')
    await page.getByTestId('wasted').getByText('1').waitFor()
    await expect(page.getByTestId('credentials').innerText()).resolves.toBe('4')
  }, 60_000)

  it('every control has a label, and the pages read on a phone-sized screen without sideways scrolling', async () => {
    const page = await tab(390, 844)
    for (const route of ['issuer', 'verifier', 'wallet', 'playground', 'schemas', 'keys', 'webhooks', 'api-keys']) {
      await page.goto(`${agent.url}/console#/${route}`)
      await page.locator('main h1').waitFor()
      await page.waitForLoadState('networkidle')
      // evaluated in the page (a string: the test project has Node's types, not the DOM's)
      const unlabelled = (await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.type !== 'hidden' && !(el.labels?.length || el.getAttribute('aria-label')))
        .map((el) => el.outerHTML.slice(0, 80))`)) as string[]
      expect(unlabelled, route).toEqual([])
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number
      expect(overflow, route).toBeLessThanOrEqual(1)
      if (route === 'wallet' || route === 'verifier') await shot(page, `phone-${route}`)
    }
    // a problem from the API is shown, not swallowed
    await page.goto(`${agent.url}/console#/api-keys`)
    await page.getByRole('button', { name: 'Create key' }).click()
    await expect(page.getByRole('alert').innerText()).resolves.toContain('agent.body_invalid')
  }, 60_000)
})
