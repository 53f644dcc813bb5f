// Scenario 2: a major penalty through 重大执法决定法制审核 ((三) 第五条至第十三条).
// The officers' device investigates a 50,000 元 fine on a company and
// prepares the package with the 调查报告 left out of the 申报表; in the
// console the unit head's submission is refused naming it; after the device
// adds it the submission goes through and the review clock runs; the legal
// reviewer asks for the extension, the leader approves it and the clock
// moves; the opinion is 程序违法的，建议纠正; issuing the decision stays
// blocked until the unit's rectification and the leader's approval are
// recorded, then the case moves to 送达执行 and the device receives it all.

import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert, BASE, TMP, device, launch, journey, login, logout, openFromInbox, flashOk, section, unique,
} from './lib.mjs';

const clip = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'clip.mp4');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Asia/Shanghai wall time `minutesAgo` minutes ago, RFC 3339 with +08:00. */
function cnTime(minutesAgo) {
  const t = new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const today = () => cnTime(0).slice(0, 10);

/** Handwriting strokes as a phone captures them. */
function strokes() {
  const file = path.join(TMP, `strokes-${unique()}.json`);
  fs.writeFileSync(file, JSON.stringify({
    width: 240, height: 90,
    strokes: [[{ x: 10, y: 40, t: 0, pressure: 0.6 }, { x: 80, y: 20, t: 40, pressure: 0.7 },
      { x: 150, y: 60, t: 80, pressure: 0.5 }, { x: 220, y: 30, t: 120, pressure: 0.6 }]],
  }));
  return file;
}

/** Fills, seals and has the officers (and the party) sign a record on the device. */
function complete(dev, caseId, recId, fields, signers) {
  dev.run('record', 'set', caseId, recId, ...Object.entries(fields).map(([k, v]) => `${k}=${v}`));
  dev.run('record', 'seal', caseId, recId);
  for (const [role, id, name] of signers) {
    dev.run('sign', caseId, recId, '--role', role, '--signer-id', id, '--name', name, '--strokes', strokes());
  }
}

/** The due date shown in the review clock. */
async function clockDue(page) {
  const dd = section(page, '重大执法决定法制审核').locator('dd.due strong');
  const text = await dd.innerText();
  assert.match(text, /还剩 \d+ 个工作日/, `clock: ${text}`);
  return text.slice(0, 10);
}

async function submitForm(page, buttonName) {
  await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: buttonName }).click()]);
}

test('legal review: missing document named, extension, 纠正程序, rectification, decision', async (t) => {
  const { page } = browser;
  const j = journey('review');
  const title = `康保县某档案服务有限公司擅自销毁档案案-${unique()}`;
  const zw = device('zhangwei');
  const me = zw.json('whoami').id;
  const lina = device('lina').json('whoami').id;
  const officers = [['officer', me, '张伟'], ['officer', lina, '李娜']];
  const withParty = [...officers, ['party', 'p1', '钱立新']];

  // The device: investigation, rights, report, draft decision, 申报表 without 调查报告.
  const created = zw.json('case', 'new', '--kind', 'penalty', '--procedure', 'general',
    '--source', 'ex_officio', '--title', title, '--party', '康保县某档案服务有限公司',
    '--party-id', '91130723MA0C8K2M3Q', '--party-rep', '钱立新',
    '--partner', `${lina}:李娜:冀执0723-2023-0102`, '--record', 'inspection_record');
  const caseId = created.case_id;
  zw.run('case', 'advance', caseId);
  zw.run('credentials', caseId, '--place', '档案库房');
  zw.run('attach', caseId, created.record_id, clip);
  complete(zw, caseId, created.record_id, {
    inspected_at: cnTime(180), place: '康保县某档案服务有限公司档案库房', inspected_unit: '康保县某档案服务有限公司',
    officers_present: `${me},${lina}`, credentials_shown: '是', basis: '《中华人民共和国档案法》第四十八条',
    items: '档案安全,档案保管条件', method: '现场检查', findings: '委托保管的 2005—2015 年文书档案 186 卷已被销毁',
  }, withParty);
  zw.run('case', 'advance', caseId);
  const rec = (template) => zw.json('record', 'new', caseId, '--template', template).record_id;
  complete(zw, caseId, rec('rights_notice'), {
    notice_no: '康档罚告〔2026〕9号', facts: '擅自销毁委托保管档案 186 卷', basis: '《档案法》第四十八条',
    proposed_penalty: '罚款 50000 元', proposed_fine_fen: '5000000', rights: '陈述,申辩,听证', method: '当场告知',
    notified_at: cnTime(120),
  }, withParty);
  complete(zw, caseId, rec('investigation_report'), {
    facts: '当事人未经委托方同意擅自销毁档案 186 卷', evidence: '现场检查笔录、询问笔录、照片、录像',
    basis: '《档案法》第四十八条', discretion: '情节严重, 按裁量基准上限以下处罚', proposal: '罚款 50000 元',
  }, officers);
  zw.run('record', 'set', caseId, rec('penalty_decision'), 'decision_no=康档罚决〔2026〕9号',
    'party=康保县某档案服务有限公司', 'facts=擅自销毁委托保管档案 186 卷', 'basis=《档案法》第四十八条',
    'penalty=罚款', 'fine_fen=5000000', 'payment=十五日内缴至指定银行', 'remedies=六十日内申请行政复议或六个月内提起行政诉讼',
    'drafter=张伟', 'reviewer=王强', 'collective_discussion=否', `decided_on=${today()}`);
  const app = rec('review_application');
  zw.run('record', 'set', caseId, app, 'recommendation=罚款 50000 元', 'facts=擅自销毁档案 186 卷',
    'laws=《档案法》第四十八条', 'discretion=按裁量基准', 'officer_qualifications=两名执法人员均持有效执法证',
    'investigation_and_hearing=已告知陈述申辩听证权利, 当事人未申请听证',
    'materials=申报表,决定书代拟稿,处理建议及说明,证据材料');
  assert.match(zw.run('sync'), /同步完成/);

  await t.test('the unit head submits: refused, the missing 调查报告 named', async () => {
    await login(page, 'wangqiang', j);
    await openFromInbox(page, title, j);
    const panel = section(page, '重大执法决定法制审核');
    assert.match(await panel.innerText(), /较大数额罚款/);
    await submitForm(page, '同意并提交法制审核');
    const err = await page.locator('p.flash.err').innerText();
    assert.match(err, /缺少送审材料「调查报告」/, err);
    await j.check(page, 'submit-refused');
    assert.match(await panel.innerText(), /尚未提交/);
  });

  await t.test('after the device lists it, the submission goes through and the clock runs', async () => {
    zw.run('record', 'set', caseId, app, 'materials=申报表,决定书代拟稿,处理建议及说明,调查报告,证据材料');
    zw.run('sync');
    await page.reload();
    await submitForm(page, '同意并提交法制审核');
    assert.match(await flashOk(page), /已提交法制审核/);
    await clockDue(page);
    await j.check(page, 'submitted');
    await logout(page, j);
  });

  let dueBefore;
  await t.test('the reviewer asks for the extension, the leader approves it, the clock moves', async () => {
    await login(page, 'zhoumin', j);
    await openFromInbox(page, title, j, 'inbox-reviewer');
    dueBefore = await clockDue(page);
    await page.getByLabel(/申请延长审核期限 5 个工作日的理由/).fill('案情复杂, 需进一步核实证据。');
    await submitForm(page, '申请延长');
    assert.match(await flashOk(page), /待分管负责人批准/);
    assert.equal(await page.getByRole('button', { name: '批准延长审核期限' }).count(), 0, 'the reviewer cannot approve it');
    await j.check(page, 'extension-asked');
    await logout(page, j);
    await login(page, 'sunjianguo', j);
    await openFromInbox(page, title, j, 'inbox-leader');
    await submitForm(page, '批准延长审核期限');
    assert.match(await flashOk(page), /已批准延长/);
    const dueAfter = await clockDue(page);
    assert.ok(dueAfter > dueBefore, `due ${dueBefore} → ${dueAfter}`);
    assert.match(await section(page, '重大执法决定法制审核').innerText(), /已批准延长 5 个工作日/);
    await j.check(page, 'extension-approved');
    await logout(page, j);
  });

  await t.test('the opinion is 程序违法的，建议纠正 and the leader approves it', async () => {
    await login(page, 'zhoumin', j);
    await openFromInbox(page, title, j, 'inbox-reviewer-2');
    for (const key of ['check_subject', 'check_facts', 'check_law', 'check_discretion', 'check_documents', 'check_other']) {
      await page.locator(`input[name="${key}"][value="pass"]`).check();
    }
    await page.locator('input[name="check_procedure"][value="fail"]').check();
    await page.getByLabel('审核意见 ((三) 第十一条)').selectOption('程序违法的，建议纠正');
    await page.getByLabel('书面审核意见').fill('权利告知与送达程序不规范, 建议纠正后再作出决定。');
    await j.check(page, 'opinion-form');
    await submitForm(page, '出具审核意见并签字');
    assert.match(await flashOk(page), /已出具法制审核意见/);
    assert.equal(await page.getByRole('button', { name: '批准法制审核意见并签字' }).count(), 0, 'not by its reviewer');
    await logout(page, j);
    await login(page, 'sunjianguo', j);
    await openFromInbox(page, title, j, 'inbox-leader-2');
    await submitForm(page, '批准法制审核意见并签字');
    assert.match(await flashOk(page), /已批准法制审核意见/);
    await j.check(page, 'opinion-approved');
    await logout(page, j);
  });

  await t.test('the decision is refused until the rectification is reported and approved', async () => {
    await login(page, 'wangqiang', j);
    await openFromInbox(page, title, j, 'inbox-head-2');
    const next = section(page, '进入下一阶段');
    assert.match(await next.innerText(), /整改/, 'the gate names the rectification');
    assert.equal(await page.getByRole('button', { name: /进入“送达执行”阶段/ }).count(), 0);
    await j.check(page, 'decision-blocked');
    await page.getByLabel('整改措施').fill('重新依法告知并送达权利告知书。');
    await page.getByLabel('整改结果').fill('已补正告知和送达程序, 当事人签收。');
    await submitForm(page, '书面报告整改情况');
    assert.match(await flashOk(page), /已报送整改情况/);
    assert.match(await next.innerText(), /整改/, 'still waits for the leader');
    await logout(page, j);

    await login(page, 'sunjianguo', j);
    await openFromInbox(page, title, j, 'inbox-leader-3');
    const report = page.locator('article.record', { hasText: '法制审核整改情况报告' });
    await Promise.all([page.waitForURL(/[?&](ok|err)=/), report.getByRole('button', { name: '以“负责人”身份签字' }).click()]);
    assert.match(await flashOk(page), /负责人/);
    await Promise.all([page.waitForURL(/[?&](ok|err)=/), page.getByRole('button', { name: /进入“送达执行”阶段/ }).click()]);
    assert.match(await flashOk(page), /送达执行/);
    assert.equal(await page.locator('ol.stages li.current').innerText(), '送达执行');
    await j.check(page, 'decision-issued');
    await logout(page, j);
  });

  await t.test('the officer\'s device receives the review and the decision', () => {
    zw.run('sync');
    const shown = zw.run('case', 'show', caseId);
    assert.match(shown, /送达执行/);
    assert.match(shown, /违法|整改|法制审核/);
  });

  await t.test('no raw ids shown where a name belongs', () => j.assertNoRawIds());
});

test('the deadlines dashboard shows the demo bureau\'s overdue fine with its article', async () => {
  const { page } = browser;
  const j = journey('deadlines');
  await login(page, 'sunjianguo', j);
  await Promise.all([page.waitForURL(/\/deadlines$/), page.getByRole('link', { name: '法定期限' }).click()]);
  const overdue = page.locator('td.due.overdue', { hasText: '逾期' });
  assert.ok(await overdue.count() >= 1, 'an overdue obligation');
  const text = await page.locator('main').innerText();
  assert.match(text, /缴纳罚款期限/);
  assert.match(text, /行政处罚法 art\.67/);
  await j.check(page, 'dashboard');
  await logout(page, j);
  j.assertNoRawIds();
});
