// Scenario 3 (the part without demo data): a device attaches a short video to
// an inspection record and uploads it; on the case page the unit head plays
// it, and the 音像资料调阅记录 shows who watched it.
//
// The fixture is H.264 (Constrained Baseline) in MP4, 3 s 320×240, made by
//   ffmpeg -f lavfi -i testsrc=size=320x240:rate=15:duration=3 -c:v libx264 \
//     -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryslow -crf 32 \
//     -movflags +faststart -an clip.mp4
// Debian's Chromium plays H.264 (it uses Debian's ffmpeg).

import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert, BASE, NAMES, device, launch, journey, login, logout, openFromInbox, section, unique,
} from './lib.mjs';

const clip = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'clip.mp4');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('media: a video uploaded by the device plays on the case page and its viewing is logged', async (t) => {
  const { page } = browser;
  const j = journey('media');
  const title = `档案安全检查录像-${unique()}`;

  const zw = device('zhangwei');
  const { case_id: caseId } = zw.json('case', 'new', '--kind', 'penalty', '--procedure', 'general',
    '--source', 'complaint', '--source-ref', '举报-2026-118', '--title', title, '--party', '康保县某档案馆',
    '--party-id', '12130723MB0000001J', '--record', 'filing_approval');
  const { record_id: recId } = zw.json('record', 'new', caseId, '--template', 'inspection_record');
  assert.ok(recId, 'record new gives record_id');
  const attached = zw.json('attach', caseId, recId, clip);
  const media = Array.isArray(attached) ? attached[0] : attached;
  assert.equal(media.mime, 'video/mp4');
  assert.equal(media.size, fs.statSync(clip).size);
  const sync = zw.run('sync');
  assert.match(sync, /上传文件 1 个/, sync);
  const caseUrl = `${BASE}/cases/${caseId}`;

  await t.test('the unit head plays the video', async () => {
    await login(page, 'wangqiang', j);
    await openFromInbox(page, title, j);
    const access = section(page, '音像资料调阅记录');
    assert.ok((await access.innerText()).includes('尚无调阅'), 'no viewing before');

    const video = page.locator(`video[src="/cases/${caseId}/media/${media.sha256}"]`);
    assert.equal(await video.count(), 1, 'one <video> for the clip');
    assert.equal(await video.getAttribute('controls'), '');
    await video.scrollIntoViewIfNeeded();
    const state = await video.evaluate(async (v) => {
      const wait = (ok, ms) => new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => (ok() ? resolve() : Date.now() - t0 > ms
          ? reject(new Error(`video: readyState ${v.readyState}, networkState ${v.networkState}, error ${v.error?.code} ${v.error?.message ?? ''}, currentTime ${v.currentTime}`))
          : setTimeout(tick, 50));
        tick();
      });
      v.muted = true;
      v.load();
      await wait(() => v.readyState >= 2, 10_000);
      const ready = v.readyState;
      await v.play();
      await wait(() => v.currentTime > 0.5, 10_000);
      v.pause();
      return { ready, currentTime: v.currentTime, duration: v.duration, width: v.videoWidth, height: v.videoHeight, error: v.error };
    });
    assert.ok(state.ready >= 2, `readyState ${state.ready}`);
    assert.ok(state.currentTime > 0.5, `currentTime advanced: ${state.currentTime}`);
    assert.ok(Math.abs(state.duration - 3) < 0.2, `duration ${state.duration}`);
    assert.deepEqual([state.width, state.height], [320, 240]);
    assert.equal(state.error, null);
    await j.check(page, 'case-video-played');
  });

  await t.test('after a reload the access log shows 王强 查看', async () => {
    await page.reload();
    const rows = section(page, '音像资料调阅记录').locator('tbody tr');
    await rows.first().waitFor();
    const text = await rows.allInnerTexts();
    assert.ok(text.some((r) => r.includes(NAMES.wangqiang) && r.includes('查看')), `access log: ${text.join(' | ')}`);
    assert.ok(text.some((r) => r.includes(media.sha256.slice(0, 8))), `access log names the file: ${text.join(' | ')}`);
    await j.check(page, 'case-access-log');
  });

  await t.test('the download link serves the same bytes and is logged as a download', async () => {
    const res = await page.request.get(`${caseUrl}/media/${media.sha256}?download=1`);
    assert.equal(res.status(), 200);
    assert.deepEqual(Buffer.from(await res.body()), fs.readFileSync(clip));
    assert.match(res.headers()['content-disposition'] ?? '', /attachment/);
    await page.reload();
    const text = await section(page, '音像资料调阅记录').locator('tbody').innerText();
    assert.match(text, /下载/, `access log: ${text}`);
    await j.check(page, 'case-download-logged');
    await logout(page, j);
  });

  await t.test('opening the case page without playing logs no 查看', async () => {
    // A browser of its own: this one has the clip in its HTTP cache.
    const other = await launch();
    let text;
    try {
      await login(other.page, 'zhangwei', j);
      await other.page.goto(caseUrl);
      await other.page.waitForTimeout(1000);
      await other.page.reload();
      await j.check(other.page, 'case-zhangwei-opened');
      text = await section(other.page, '音像资料调阅记录').innerText();
      await logout(other.page, j);
    } finally {
      await other.close();
    }
    assert.ok(!text.includes(NAMES.zhangwei), `张伟 only opened the page: ${text}`);
  });

  await t.test('no raw ids shown where a name belongs', () => j.assertNoRawIds());
});
