// The web console in headless Chromium against the real binary: a trainee
// plays a session to its report in each language, a dropped network in the
// middle of a reply resumes without a repeated word, an admin uploads a PDF
// and watches it ingest, searches, creates a user; the main pages have no
// serious accessibility violation and fit a phone's screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Proxy, Server, adminPassword, launch, openPage, screenshot, seriousViolations, signIn } from './harness.mjs';

const root = new URL('../../', import.meta.url);
const script = (name) => JSON.parse(readFileSync(new URL(`tests/trainees/tuning/${name}.json`, root), 'utf8')).turns;

let server;
let browser;

before(async () => {
  server = await Server.start(['--set', 'limits.turn_burst=1000', '--set', 'limits.turn_per_minute=1000',
    '--set', 'limits.login_burst=1000', '--set', 'limits.login_per_minute=1000',
    '--set', 'conversation.npc_delta_interval_ms=30']);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Waits until the turn just sent has its whole reply (no streaming line, nobody typing, not busy).
async function awaitReply(page, replies) {
  await page.waitForFunction((n) => document.querySelectorAll('.line.customer:not(.thinking)').length >= n
    && !document.querySelector('.streaming') && !document.querySelector('.thinking'), replies, { timeout: 60000 });
}

async function play(page, turns) {
  let replies = await page.locator('.line.customer:not(.thinking)').count();
  for (const text of turns) {
    if (await page.locator('text=/See your report|查看报告/').count()) break;
    await page.fill('#reply', text);
    await page.keyboard.press('Enter');
    replies += 1;
    await Promise.race([
      awaitReply(page, replies),
      page.waitForSelector('text=/See your report|查看报告/', { timeout: 60000 }),
    ]);
  }
}

async function startScenario(page, scenarioTitle, sessionLanguage) {
  await page.locator('.card.persona', { hasText: scenarioTitle }).first().click();
  await page.waitForSelector('.rubric li');
  await page.selectOption('#session-language', sessionLanguage);
  await page.locator('button.primary', { hasText: /Start practice|开始练习/ }).click();
  await page.waitForSelector('.status.online');
}

async function finishAndOpenReport(page) {
  if (!(await page.locator('text=/See your report|查看报告/').count())) {
    await page.locator('button', { hasText: /End session|结束练习/ }).click();
  }
  await page.locator('a', { hasText: /See your report|查看报告/ }).click();
  await page.waitForSelector('.criteria li');
}

test('a trainee plays a session in English to a report', async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, 'trainee', server.traineePassword);
  assert.equal(await page.locator('h1').first().textContent(), 'Choose a scenario');
  await screenshot(page, 'scenarios-en');
  await startScenario(page, 'First call with a store owner', 'en');
  const turns = script('first-call-retail.li-wei.en.strong');
  await play(page, turns.slice(0, 4));
  await screenshot(page, 'practice-en');
  // The coach answered with tips; the stage moved on from the opening.
  assert.ok(await page.locator('.tip').count() >= 1);
  assert.notEqual(await page.locator('.stages li.current').textContent(), 'Opening');
  assert.deepEqual(await seriousViolations(page), []);
  await play(page, turns.slice(4));
  // The live checklist marks the criteria met so far; at the end it is the report's judgement.
  const checklist = await page.locator('.checklist li').evaluateAll((items) =>
    Object.fromEntries(items.map((li) => [li.dataset.criterion, li.dataset.result])));
  assert.ok(Object.values(checklist).filter((r) => r === 'met').length >= 2, JSON.stringify(checklist));
  await finishAndOpenReport(page);
  const overall = Number(await page.locator('.overall .score').textContent());
  assert.ok(overall > 0 && overall <= 10, `overall ${overall}`);
  assert.equal(await page.locator('canvas[role=img]').count() >= 1, true);
  // The report page shows the server's report: the same number of criteria and the same overall.
  const id = page.url().split('/').pop();
  const token = await server.login('trainee', server.traineePassword);
  const report = await server.api('GET', `/api/v1/sessions/${id}/report`, token);
  assert.equal(await page.locator('.criteria li').count(), report.scorecard.criteria.length);
  assert.equal(overall, report.overall);
  await screenshot(page, 'report-en');
  assert.deepEqual(await seriousViolations(page), []);
  await page.locator('nav a', { hasText: 'History' }).click();
  await page.waitForSelector('table');
  assert.ok(await page.locator(`a[href="#/report/${id}"]`).count() === 1);
  assert.deepEqual(page.problems, []);
});

test('a trainee plays a session in Chinese with the console in Chinese', async () => {
  const page = await openPage(browser, { locale: 'zh-CN' });
  await signIn(page, server.url, 'trainee', server.traineePassword);
  assert.equal(await page.locator('h1').first().textContent(), '选择练习场景');
  await startScenario(page, '与门店老板的第一次通话', 'zh');
  await play(page, script('first-call-retail.li-wei.zh.strong'));
  await screenshot(page, 'practice-zh');
  await finishAndOpenReport(page);
  assert.equal(await page.locator('h1').first().textContent(), '练习报告');
  assert.match(await page.locator('.criteria').textContent(), /[\u4e00-\u9fff]/);
  await screenshot(page, 'report-zh');
  // Switching the language changes the console's texts at once.
  await page.locator('button', { hasText: 'English' }).click();
  assert.equal(await page.locator('h1').first().textContent(), 'Your report');
  assert.deepEqual(page.problems, []);
});

test('a network drop in the middle of a reply resumes without a repeated word', async () => {
  const proxy = await Proxy.start(server.port);
  try {
    const page = await openPage(browser);
    await signIn(page, proxy.url, 'trainee', server.traineePassword);
    await startScenario(page, 'First call with a store owner', 'en');
    await page.fill('#reply', 'Hello Mr Li, this is Anna from Lumen. Is now a good time to talk about how your stores follow up with customers?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.line.customer p.streaming', { timeout: 30000 });
    await page.waitForFunction(() => (document.querySelector('.streaming')?.textContent || '').length > 3);
    proxy.cut();
    await page.waitForSelector('.status.offline', { timeout: 10000 });
    await page.waitForSelector('.status.online', { timeout: 20000 });
    await awaitReply(page, 1);
    const shown = await page.locator('.line.customer p').first().textContent();
    const id = page.url().split('/').pop();
    const token = await server.login('trainee', server.traineePassword);
    const { events } = await server.api('GET', `/api/v1/sessions/${id}/events`, token);
    const done = events.find((e) => e.type === 'npc.done');
    assert.equal(shown, done.text, 'the reply on screen is the reply, each word once');
    assert.equal(await page.locator('.line.trainee').count(), 1);
    assert.equal(await page.locator('.line.customer').count(), 1);
    assert.deepEqual(page.problems.filter((p) => !/WebSocket/.test(p)), []);
  } finally {
    await proxy.stop();
  }
});

test('an admin uploads a PDF, watches it ingest, finds it, and deletes it', async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, 'trainer', adminPassword);
  await page.locator('nav a', { hasText: 'Documents' }).click();
  await page.waitForSelector('#files', { state: 'attached' });
  await page.fill('#collection', 'browser-test');
  await page.setInputFiles('#files', new URL('tests/fixtures/knowledge/digital.pdf', root).pathname);
  await page.locator('button', { hasText: 'Upload' }).click();
  await page.waitForSelector('.job[data-status=done]', { timeout: 120000 });
  assert.match(await page.locator('.job').textContent(), /indexed/);
  const row = page.locator('tr', { hasText: 'digital.pdf' });
  await row.waitFor();
  assert.match(await row.textContent(), /browser-test/);
  await screenshot(page, 'documents');
  assert.deepEqual(await seriousViolations(page), []);

  await page.locator('nav a', { hasText: 'Search' }).click();
  await page.fill('#query', 'price per seat');
  await page.fill('#search-collection', 'browser-test');
  await page.locator('button', { hasText: 'Search' }).click();
  await page.waitForSelector('table.hits tbody tr');
  assert.match(await page.locator('table.hits tbody tr').first().textContent(), /digital\.pdf/);
  assert.match(await page.locator('table.hits tbody tr').first().textContent(), /#1/);
  await screenshot(page, 'search');

  await page.locator('nav a', { hasText: 'Documents' }).click();
  page.once('dialog', (d) => d.accept());
  await page.locator('tr', { hasText: 'digital.pdf' }).locator('button', { hasText: 'Delete' }).click();
  await page.waitForFunction(() => !document.body.textContent.includes('digital.pdf'));
  assert.deepEqual(page.problems, []);
});

test('an admin creates a user, who can sign in with the password shown once', async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, 'trainer', adminPassword);
  await page.locator('nav a', { hasText: 'Users' }).click();
  await page.fill('#new-username', 'newhire');
  await page.locator('button', { hasText: 'Create user' }).click();
  const notice = await page.locator('.notice').textContent();
  const password = notice.split(': ').pop().trim();
  assert.ok(password.length >= 10, notice);
  assert.ok(await server.login('newhire', password));
  await screenshot(page, 'users');
  assert.deepEqual(await seriousViolations(page), []);
});

test('the pages fit a phone screen, and the console is served with a strict policy', async () => {
  const response = await fetch(server.url + '/');
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(response.headers.get('content-security-policy'), /script-src 'self';/);
  assert.doesNotMatch(response.headers.get('content-security-policy'), /unsafe-inline/);
  const page = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, server.url, 'trainee', server.traineePassword);
  assert.deepEqual(await seriousViolations(page), []);
  await startScenario(page, 'First call with a store owner', 'en');
  await play(page, ['Hello Mr Li, this is Anna from Lumen.']);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await screenshot(page, 'practice-phone');
  assert.deepEqual(page.problems, []);
});
