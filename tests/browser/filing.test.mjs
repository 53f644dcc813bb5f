// Scenario 1: an officer's device syncs a new case; the unit head sees it in
// the console inbox, assigns a second officer and gives the unit opinion;
// the leader approves 立案; the devices sync and show the approval.

import { test, before, after } from 'node:test';
import {
  assert, BASE, NAMES, device, launch, journey, login, logout, openFromInbox, flashOk, section, unique,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('filing: device case → unit head assigns and opines → leader approves → devices sync', async (t) => {
  const { page } = browser;
  const j = journey('filing');
  const title = `擅自销毁档案案-${unique()}`;

  // 张伟's device: a new 行政处罚 case from a complaint with its 立案审批表.
  const zw = device('zhangwei');
  const created = zw.json('case', 'new', '--kind', 'penalty', '--procedure', 'general', '--source', 'complaint',
    '--source-ref', '举报-2026-117', '--title', title, '--party', '康保县某档案馆',
    '--party-id', '12130723MB0000001J', '--record', 'filing_approval');
  const { case_id: caseId, record_id: recId } = created;
  assert.ok(caseId && recId, `case new gives case_id and record_id: ${JSON.stringify(created)}`);
  zw.run('record', 'set', caseId, recId, 'case_reason=擅自销毁档案', 'source_detail=实名举报',
    'party_summary=事业单位', 'facts=擅自销毁文书档案约30卷', 'handlers=张伟,李娜', 'handler_opinion=建议立案调查');
  zw.run('sync');
  const caseUrl = `${BASE}/cases/${caseId}`;

  await t.test('unit head finds the case, assigns 李娜 and gives the unit opinion', async () => {
    await login(page, 'wangqiang', j);
    const url = await openFromInbox(page, title, j);
    assert.equal(url, caseUrl);

    const stage = await page.locator('ol.stages li.current').innerText();
    assert.equal(stage.trim(), '程序启动');
    const parties = await section(page, '当事人').innerText();
    assert.ok(parties.includes('康保县某档案馆'), parties);
    assert.ok(!parties.includes('12130723MB0000001J'), `party id masked: ${parties}`);

    // 指派: tick 李娜, submit, the flash says so and she is listed.
    const officers = section(page, '执法人员');
    await officers.getByRole('checkbox', { name: /李娜/ }).check();
    await Promise.all([page.waitForURL(caseUrl + '*'), officers.getByRole('button', { name: '指派' }).click()]);
    const assigned = await flashOk(page);
    assert.match(assigned, /指派|李娜/);
    await j.check(page, 'case-assigned');
    const officerTable = await section(page, '执法人员').locator('table').innerText();
    assert.ok(officerTable.includes('李娜') && officerTable.includes('张伟'), officerTable);

    // 承办科室意见; the leader's form is not offered to the unit head.
    assert.equal(await page.locator('#leader-opinion').count(), 0, 'unit head gets no leader form');
    await page.locator('#unit-opinion').fill('同意立案, 请局领导审批。');
    await Promise.all([page.waitForURL(caseUrl + '*'), page.getByRole('button', { name: '提交科室意见' }).click()]);
    const opinion = await flashOk(page);
    assert.ok(opinion.includes('承办科室意见'), opinion);
    await j.check(page, 'case-unit-opinion');
    const history = await section(page, '办案记录').innerText();
    assert.ok(history.includes('立案审批: 承办科室意见'), history);
    assert.ok(history.includes(NAMES.wangqiang), `history names 王强: ${history}`);
    await logout(page, j);
  });

  await t.test('leader approves 立案; stage moves to 调查取证, the form is sealed', async () => {
    await login(page, 'sunjianguo', j);
    await openFromInbox(page, title, j);
    assert.equal(await page.locator('#unit-opinion').count(), 0, 'leader gets no unit-head form');
    await page.locator('#leader-opinion').fill('同意立案, 由承办人员依法调查。');
    await Promise.all([page.waitForURL(caseUrl + '*'), page.getByRole('button', { name: '批准立案并签字' }).click()]);
    const approved = await flashOk(page);
    assert.ok(approved.includes('已批准立案'), approved);
    await j.check(page, 'case-approved');
    assert.equal((await page.locator('ol.stages li.current').innerText()).trim(), '调查取证', `flash: ${approved}`);
    const filing = page.locator('article.record', { has: page.locator('h3', { hasText: '立案审批表' }) });
    assert.ok((await filing.locator('h3').innerText()).includes('已封存 · 封存校验通过'));
    assert.ok((await filing.innerText()).includes(NAMES.sunjianguo), 'leader signature shown by name');
    await logout(page, j);
  });

  await t.test('the officer devices sync and show the approval', () => {
    zw.run('sync');
    const shown = zw.json('case', 'show', caseId);
    assert.equal(shown.stage, '调查取证', `device stage: ${shown.stage}`);
    const details = shown.events.map((e) => e.detail);
    assert.ok(details.some((d) => d.startsWith('立案审批: 局领导批准立案')), `device history: ${details.join(' | ')}`);
    const text = zw.run('case', 'show', caseId);
    assert.ok(text.includes('立案审批: 局领导批准立案'), text);

    const ln = device('lina');
    ln.run('sync');
    const list = ln.json('case', 'list');
    const rows = Array.isArray(list) ? list : (list.cases ?? list.rows ?? []);
    assert.ok(rows.some((c) => (c.id ?? c.case_id) === caseId), `李娜's device lists the case: ${JSON.stringify(list).slice(0, 800)}`);
  });

  await t.test('an officer gets no leader form; another unit gets 404', async () => {
    await login(page, 'zhangwei', j);
    await page.goto(caseUrl);
    await j.check(page, 'case-zhangwei');
    assert.equal(await page.locator('#leader-opinion').count(), 0);
    assert.equal(await page.getByRole('button', { name: '批准立案并签字' }).count(), 0);
    assert.equal(await page.locator('#unit-opinion').count(), 0);
    await logout(page, j);

    await login(page, 'liuyang', j);
    const resp = await page.goto(caseUrl);
    assert.equal(resp.status(), 404);
    await j.check(page, 'case-liuyang-404');
    assert.ok(!(await page.locator('body').innerText()).includes(title), 'the 404 page does not leak the title');
    await page.goto(`${BASE}/`);
    await j.check(page, 'inbox-liuyang-after-404');
    assert.equal(await page.locator('table.cases a', { hasText: title }).count(), 0, 'not in the other unit\'s inbox');
    await logout(page, j);
  });

  await t.test('no raw ids shown where a name belongs', () => j.assertNoRawIds());
});
