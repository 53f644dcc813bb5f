// Every console page at 1366×768: login (and a failed login), inbox
// (unfiltered and filtered), case page, deadlines, the 404 page. Each is
// screenshot and passes axe (no serious or critical violation), renders its
// Chinese text in Noto Sans CJK and does not overflow the window sideways.

import { test, before, after } from 'node:test';
import {
  assert, BASE, VIEWPORT, device, launch, journey, login, logout, openFromInbox, unique,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The fonts Chromium actually drew the element's text with. */
async function fontsOf(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `${selector} on ${page.url()}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
  }
}

async function looksRight(page, j, step) {
  await j.check(page, step);
  const fonts = await fontsOf(page, 'h1');
  assert.ok(fonts.some((f) => /Noto (Sans|Serif) CJK/.test(f)), `h1 on ${step} drawn with ${fonts.join(', ')}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= VIEWPORT.width, `${step} is ${width}px wide at ${VIEWPORT.width}px`);
}

test('console pages at 1366×768 pass axe and render Chinese', async (t) => {
  const { page } = browser;
  const j = journey('pages');
  assert.deepEqual(page.viewportSize(), VIEWPORT);
  const title = `档案利用违规案-${unique()}`;
  const zw = device('zhangwei');
  const { case_id: caseId, record_id: recId } = zw.json('case', 'new', '--kind', 'penalty', '--procedure', 'general',
    '--source', 'complaint', '--source-ref', '举报-2026-119', '--title', title, '--party', '康保县某档案馆',
    '--party-id', '12130723MB0000001J', '--record', 'filing_approval');
  zw.run('record', 'set', caseId, recId, 'case_reason=档案利用违规', 'facts=违规提供档案利用');
  zw.run('sync');

  await t.test('login page, and a failed login', async () => {
    const res = await page.goto(`${BASE}/`);
    assert.match(page.url(), /\/login/, 'the inbox sends a stranger to /login');
    assert.ok(res.ok());
    await looksRight(page, j, 'login');
    await page.getByLabel('用户名').fill('wufang');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('p.flash.err').waitFor();
    await looksRight(page, j, 'login-failed');
  });

  await t.test('inbox, filtered inbox, case page, deadlines, 404', async () => {
    await login(page, 'wangqiang');
    await looksRight(page, j, 'inbox');
    assert.ok(await page.locator('table.cases a', { hasText: title }).count() >= 1, 'the new case is listed');

    await page.getByLabel('阶段').selectOption({ label: '程序启动' });
    await page.getByLabel('承办科室').selectOption({ label: '执法监督科' });
    await Promise.all([page.waitForURL(/stage=/), page.getByRole('button', { name: '筛选' }).click()]);
    await looksRight(page, j, 'inbox-filtered-stage');
    await page.getByLabel('关键词').fill('没有这个案件-' + unique());
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: '筛选' }).click()]);
    await page.locator('p.empty').waitFor();
    await looksRight(page, j, 'inbox-empty');
    await page.getByRole('link', { name: '清除' }).click();
    await page.waitForURL(`${BASE}/`);

    await openFromInbox(page, title);
    await looksRight(page, j, 'case');
    assert.equal(await page.locator('ol.stages li.current').getAttribute('aria-current'), 'step');

    await page.getByRole('link', { name: '法定期限' }).click();
    await page.waitForURL(`${BASE}/deadlines`);
    await looksRight(page, j, 'deadlines');
    assert.equal(await page.getByRole('link', { name: '法定期限' }).getAttribute('aria-current'), 'page');

    const res = await page.goto(`${BASE}/cases/00000000-0000-4000-8000-000000000000`);
    assert.equal(res.status(), 404);
    await looksRight(page, j, 'not-found');

    await page.goto(`${BASE}/`);
    await logout(page);
    await looksRight(page, j, 'logged-out');
  });

  await t.test('the leader and the archivist see their inbox and deadlines', async () => {
    for (const user of ['sunjianguo', 'wufang', 'zhoumin']) {
      await login(page, user);
      await looksRight(page, j, `inbox-${user}`);
      await page.goto(`${BASE}/deadlines`);
      await looksRight(page, j, `deadlines-${user}`);
      await logout(page);
    }
  });

  await t.test('no raw ids shown where a name belongs', () => j.assertNoRawIds());
});
