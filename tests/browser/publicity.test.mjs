// Scenario 4: 行政执法公示 ((一) 第八条至第十五条; 行政处罚法 第四十八条).
// A penalty on a natural person is decided on the officer's device; in the
// console the office liaison drafts the public entry (name and numbers
// masked), checks and seals it; it appears on the public portal; a member
// of the public reports an error, the legal office answers and the answer is
// shown; the leader records the decision revoked and the liaison takes the
// entry down with the explanation. Then a 双随机 draw made in the console is
// redone in the browser from what the portal publishes.

import { test, before, after } from 'node:test';
import crypto from 'node:crypto';
import {
  assert, BASE, device, launch, journey, login, logout, openFromInbox, flashOk, section, unique,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function submit(page, button) {
  await Promise.all([page.waitForURL(/[?&](ok|err)=|\/records\//), page.getByRole('button', { name: button }).click()]);
}

test('publish, correct, revoke and take down a penalty on a natural person', async (t) => {
  const { page } = browser;
  const j = journey('publicity');
  const no = `康档罚决〔2026〕${unique().slice(-5)}号`;
  const title = `赵某某擅自出卖档案案-${unique()}`;
  const zw = device('zhangwei');
  const created = zw.json('case', 'new', '--kind', 'penalty', '--procedure', 'general',
    '--source', 'complaint', '--title', title, '--party', '赵德明', '--party-kind', 'natural_person',
    '--party-id', '11010519491231002X', '--record', 'penalty_decision');
  const caseId = created.case_id;
  zw.run('record', 'set', caseId, created.record_id, `decision_no=${no}`, 'party=赵德明',
    'facts=赵德明 (身份证 11010519491231002X, 手机 13912345678) 擅自出卖国有档案 3 卷',
    'basis=《中华人民共和国档案法》第四十八条', 'penalty=警告, 并处罚款 3000 元', 'fine_fen=300000',
    'payment=十五日内缴纳', 'remedies=六十日内申请行政复议或六个月内提起行政诉讼', 'drafter=张伟',
    'reviewer=王强', 'collective_discussion=否', `decided_on=${today()}`);
  zw.run('record', 'seal', caseId, created.record_id);
  assert.match(zw.run('sync'), /同步完成/);

  let entryUrl;
  await t.test('the liaison drafts the entry, masked, and seals it: published', async () => {
    await login(page, 'wufang', j);
    await openFromInbox(page, title, j);
    const panel = section(page, '行政执法公示');
    assert.match(await panel.innerText(), /可公示的执法结果/);
    await submit(page, '生成公示草稿');
    assert.equal(await page.locator('[name="f.party"]').inputValue(), '赵**', 'the party by surname only');
    const facts = await page.locator('[name="f.facts"]').inputValue();
    assert.doesNotMatch(facts, /赵德明|13912345678|11010519491231002X/, `no full name, phone or ID: ${facts}`);
    assert.match(facts, /139\*\*\*\*5678/);
    await j.check(page, 'draft');
    await submit(page, '保存并封存');
    assert.match(await flashOk(page), /已保存并封存/);
    entryUrl = await section(page, '行政执法公示').getByRole('link', { name: new RegExp(no.slice(0, 6)) }).getAttribute('href');
    assert.match(entryUrl, /^\/gs\/e\//);
    await j.check(page, 'published');
    await logout(page, j);
  });

  await t.test('the portal lists it, finds it by 文号 and shows it without personal data', async () => {
    await page.goto(`${BASE}/gs/`);
    await j.check(page, 'portal-list');
    await page.getByLabel('关键词').fill(no);
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: '查询' }).click()]);
    await page.getByRole('link', { name: new RegExp(no.slice(0, 6)) }).first().click();
    await page.waitForURL(`${BASE}${entryUrl}`);
    const text = await page.locator('main').innerText();
    assert.match(text, new RegExp(no.replace(/[〔〕]/g, '.')));
    assert.doesNotMatch(text, /赵德明|11010519491231002X|13912345678/);
    await j.check(page, 'portal-entry');
  });

  await t.test('a member of the public reports an error; the legal office answers', async () => {
    await page.getByLabel(/需要纠正的内容/).fill('罚款金额应为 2000 元');
    await page.getByLabel(/联系方式/).fill('13800000000');
    await Promise.all([page.waitForURL(/sent=1/), page.getByRole('button', { name: '提交纠错' }).click()]);
    assert.match(await page.locator('p.flash').innerText(), /已收到/);
    await j.check(page, 'feedback-sent');
    await login(page, 'zhoumin', j);
    await page.goto(`${BASE}/publicity`);
    const item = page.locator('div.record', { hasText: '罚款金额应为 2000 元' });
    await item.getByLabel('答复 (公开)').fill('经核实, 罚款金额为 3000 元, 公示无误。');
    await j.check(page, 'desk');
    await Promise.all([page.waitForURL(/[?&](ok|err)=/), item.getByRole('button', { name: '核实并答复' }).click()]);
    assert.match(await flashOk(page), /已答复/);
    await logout(page, j);
    await page.goto(`${BASE}${entryUrl}`);
    const text = await page.locator('main').innerText();
    assert.match(text, /公示无误/);
    assert.doesNotMatch(text, /13800000000/, 'the sender stays private');
  });

  await t.test('the leader records the revocation; the liaison takes the entry down', async () => {
    await login(page, 'sunjianguo', j);
    await openFromInbox(page, title, j, 'inbox-leader');
    await page.getByLabel('新建文书').selectOption({ label: '行政执法决定变更记录' });
    await submit(page, '新建');
    await page.getByLabel('变更情形').selectOption('撤销');
    await page.getByLabel(/依据文书/).fill('康政复决〔2026〕3号');
    await page.getByLabel('公开说明').fill('行政复议机关撤销了该行政处罚决定。');
    await page.getByLabel('决定变更之日').fill(today());
    await submit(page, '保存并封存');
    assert.match(await flashOk(page), /已保存并封存/);
    await logout(page, j);

    await login(page, 'wufang', j);
    await openFromInbox(page, title, j, 'inbox-liaison');
    const panel = section(page, '行政执法公示');
    assert.match(await panel.innerText(), /须在 3 个工作日内撤下/);
    await j.check(page, 'must-withdraw');
    await submit(page, '撤下');
    await submit(page, '保存并封存');
    assert.match(await section(page, '行政执法公示').innerText(), /已撤下/);
    await logout(page, j);
    await page.goto(`${BASE}${entryUrl}`);
    const text = await page.locator('main').innerText();
    assert.match(text, /本条信息已于 .* 撤下/);
    assert.match(text, /行政复议机关撤销了该行政处罚决定/);
    assert.doesNotMatch(text, /警告, 并处罚款 3000 元/, 'the content is down');
    await j.check(page, 'portal-withdrawn');
  });
});

/** SHA-256 hex of the seed, a newline and the id: the published draw key. */
const key = (seed, id) => crypto.createHash('sha256').update(`${seed}\n${id}`).digest('hex');

test('a 双随机 draw is redone from its published seed', async () => {
  const { page } = browser;
  const j = journey('random');
  const seed = `seed-${unique()}`;
  await login(page, 'wufang', j);
  await page.goto(`${BASE}/publicity/random`);
  for (const name of ['县档案馆', '县医院档案室', '县一中档案室']) {
    await page.getByLabel('名称', { exact: true }).fill(`${name}-${seed}`);
    await page.locator('#g-unit').selectOption({ label: '执法监督科' });
    await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: '加入名录' }).click()]);
    assert.match(await flashOk(page), /已加入/);
  }
  await page.getByLabel('任务名称').fill(`档案安全抽查 ${seed}`);
  await page.locator('#t-unit').selectOption({ label: '执法监督科' });
  await page.getByLabel('抽取对象数量').fill('2');
  await page.getByLabel(/随机种子/).fill(seed);
  await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: '抽取并建立检查案件' }).click()]);
  assert.match(await flashOk(page), /已抽取 2 个检查对象/);
  await j.check(page, 'drawn');
  await logout(page, j);

  await page.goto(`${BASE}/gs/random`);
  const task = page.locator('section', { hasText: `档案安全抽查 ${seed}` });
  await task.locator('summary').click();
  await j.check(page, 'portal-random');
  const tables = task.locator('details table');
  const rows = async (table) => (await table.locator('tbody tr').all());
  const candidates = [];
  for (const r of await rows(tables.nth(0))) {
    candidates.push({ id: await r.locator('code').innerText(), name: await r.locator('td').nth(1).innerText() });
  }
  const officers = [];
  for (const r of await rows(tables.nth(1))) {
    officers.push({ id: await r.locator('code').innerText(), name: await r.locator('td').nth(1).innerText() });
  }
  // Redo: order by key, first 2 targets; officers in key order, paired.
  const byKey = (xs) => [...xs].sort((a, b) => key(seed, a.id).localeCompare(key(seed, b.id)));
  const targets = byKey(candidates).slice(0, 2);
  const staff = byKey(officers);
  const published = [];
  for (const r of await task.locator('h3 + table tbody tr').all()) {
    published.push([await r.locator('td').nth(0).innerText(), await r.locator('td').nth(1).innerText()]);
  }
  assert.deepEqual(published, targets.map((t, i) => {
    const p = i % Math.floor(staff.length / 2);
    return [t.name, `${staff[2 * p].name}、${staff[2 * p + 1].name}`];
  }));
});

test('a roster change is published after the legal office reviews it', async () => {
  const { page } = browser;
  const j = journey('roster');
  const credential = '冀执0723-2023-0102'; // 李娜
  await page.goto(`${BASE}/gs/info`);
  await j.check(page, 'info-before');
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(credential));

  await login(page, 'wufang', j);
  await page.goto(`${BASE}/publicity/disclosures`);
  await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: '生成名单草稿' }).click()]);
  assert.match(await flashOk(page), /名单/);
  await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: '提交法制审核' }).first().click()]);
  await flashOk(page);
  await j.check(page, 'roster-submitted');
  await logout(page, j);
  await page.goto(`${BASE}/gs/info`);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(credential), 'not before review');

  await login(page, 'zhoumin', j);
  await page.goto(`${BASE}/publicity/disclosures`);
  await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: '审核通过并公开' }).first().click()]);
  await flashOk(page);
  await logout(page, j);
  await page.goto(`${BASE}/gs/info`);
  assert.match(await page.locator('main').innerText(), new RegExp(credential), 'published after review');
  await j.check(page, 'info-after');
});
