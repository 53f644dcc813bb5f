// Shared helpers of the console browser tests: the `zhifa` device, Debian's
// Chromium through playwright-core, screenshots and axe checks.
//
// run.sh sets the environment:
//   ZHIFA_URL        base URL of the zhifa-server under test (started with --demo)
//   ZHIFA_BIN        path of the `zhifa` device binary
//   ZHIFA_SHOTS      folder for the screenshots (target/browser)
//   ZHIFA_TMP        scratch folder of this run (device homes, browser profiles)
//   CHROMIUM         Chromium executable (default /usr/bin/chromium)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (!v) throw new Error(`${name} is not set: run the browser tests through tests/browser/run.sh`);
  return v;
}

export const BASE = env('ZHIFA_URL').replace(/\/$/, '');
export const ZHIFA = env('ZHIFA_BIN');
export const SHOTS = env('ZHIFA_SHOTS');
export const TMP = env('ZHIFA_TMP', os.tmpdir());
export const PASSWORD = 'demo1234';

/** Names the demo accounts go by in the console. */
export const NAMES = {
  zhangwei: '张伟', lina: '李娜', wangqiang: '王强', sunjianguo: '孙建国',
  zhoumin: '周敏', wufang: '吴芳', liuyang: '刘洋',
};

/** A unique suffix so tests sharing one server never see each other's cases. */
export function unique() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

// ---------------------------------------------------------------- device

/** A `zhifa` field device with its own home folder, logged in as `user`. */
export function device(user) {
  const home = fs.mkdtempSync(path.join(TMP, `device-${user}-`));
  const run = (...args) => {
    try {
      return execFileSync(ZHIFA, ['--home', home, ...args], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
      });
    } catch (e) {
      throw new Error(`zhifa ${args.join(' ')} failed (${e.status}): ${e.stderr || ''}${e.stdout || ''}`);
    }
  };
  const json = (...args) => JSON.parse(run('--json', ...args));
  run('login', '--server', BASE, '--user', user, '--password', PASSWORD);
  return { user, home, run, json };
}

// ---------------------------------------------------------------- browser

export const VIEWPORT = { width: 1366, height: 768 };

/**
 * Debian's Chromium with a fresh empty profile. The network flags keep it
 * from stalling on background requests that cannot leave this machine.
 */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(TMP, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Subresources that fail (a stylesheet, an image, a video) are problems;
  // a page answered 404 on purpose is checked by its test.
  page.on('response', (r) => {
    const req = r.request();
    if (r.status() >= 400 && !req.isNavigationRequest() && !r.url().endsWith('/favicon.ico')) {
      problems.push(`${r.status()} for ${req.resourceType()} ${r.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    // A media element may abort its own range request when it has enough.
    if (req.resourceType() !== 'media') problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  return {
    context, page, problems,
    /** Closes the browser, then fails when a page had a script error or a broken subresource. */
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
      assert.deepEqual(problems, [], 'no script errors or broken subresources in the pages');
    },
  };
}

/**
 * A recorder for one test: every page it passes through is screenshot
 * (full page, `target/browser/<test>/<NN>-<step>.png`) and checked by axe.
 */
export function journey(name) {
  const dir = path.join(SHOTS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  const visited = [];
  const ids = [];
  return {
    dir, visited,
    /** Screenshot + axe of the page as it is now. */
    async check(page, step) {
      n += 1;
      const file = path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const violations = await axe(page);
      visited.push({ step, url: page.url(), file, violations });
      assert.deepEqual(violations, [], `axe: serious or critical violations on ${page.url()} (${step}):\n${
        violations.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((t) => `    ${t}`).join('\n')}`).join('\n')}`);
      await assertMasked(page, step);
      for (const line of await rawIds(page)) ids.push(`${step}: ${line}`);
      return file;
    },
    /** Fails when a page passed through showed a raw id (a UUID where a name belongs). */
    assertNoRawIds() {
      assert.deepEqual(ids, [], 'raw ids shown where a name belongs');
    },
  };
}

/** axe-core's serious and critical violations of the page, as plain objects. */
export async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  assert.ok(results.passes.length > 0, `axe ran no rule on ${page.url()}`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((x) => x.target.join(' ')) }));
}

/** No unmasked 18-character ID or credit code (身份证号 / 统一社会信用代码) in the page text. */
export async function assertMasked(page, step) {
  const text = await page.locator('body').innerText();
  const unmasked = text.match(/\b[0-9A-Z]{17}[0-9X]\b/g) ?? [];
  const ids = unmasked.filter((s) => /\d{6}/.test(s));
  assert.deepEqual(ids, [], `unmasked identity number on ${page.url()} (${step})`);
}

/** Lines of the page text that show a raw id (UUID) where a name belongs. */
export async function rawIds(page) {
  const text = await page.locator('body').innerText();
  return text.split('\n').filter((l) => /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/.test(l))
    .map((l) => l.trim());
}


// ---------------------------------------------------------------- console

/** Logs in from /login and lands in the inbox; with a journey, both pages are checked. */
export async function login(page, user, j) {
  await page.goto(`${BASE}/login`);
  if (j) await j.check(page, `login-${user}`);
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(`${BASE}/`),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  await assertHeaderShows(page, NAMES[user] ?? user);
  if (j) await j.check(page, `inbox-${user}`);
}

export async function assertHeaderShows(page, name) {
  const who = await page.locator('header .who').innerText();
  assert.ok(who.includes(name), `header shows ${JSON.stringify(who)}, expected ${name}`);
}

export async function logout(page, j) {
  await Promise.all([
    page.waitForURL(/\/login/),
    page.getByRole('button', { name: '退出' }).click(),
  ]);
  if (j) await j.check(page, 'logged-out');
}

/**
 * Finds the case in the inbox with the 关键词 filter and opens it; returns
 * the case URL. With a journey, the filtered inbox and the case are checked.
 */
export async function openFromInbox(page, title, j, step = 'inbox-filtered') {
  await page.getByLabel('关键词').fill(title);
  await Promise.all([
    page.waitForURL(/[?&]q=/),
    page.getByRole('button', { name: '筛选' }).click(),
  ]);
  const link = page.locator('table.cases a', { hasText: title });
  await link.waitFor();
  assert.equal(await link.count(), 1, `one case titled ${title} in the inbox`);
  if (j) await j.check(page, step);
  await Promise.all([page.waitForURL(/\/cases\/[^/]+$/), link.click()]);
  await page.locator('h1', { hasText: title }).waitFor();
  if (j) await j.check(page, 'case');
  return page.url();
}

/** The text of the flash message after a form post; fails on an error flash. */
export async function flashOk(page) {
  const flash = page.locator('p.flash');
  await flash.first().waitFor();
  const cls = await flash.first().getAttribute('class');
  const text = await flash.first().innerText();
  assert.ok(cls.includes('ok'), `error flash: ${text}`);
  return text;
}

/** The section of the case page under the heading `title`. */
export function section(page, title) {
  return page.locator('section', { has: page.locator('h2', { hasText: title }) });
}

export { assert };
