// The web console in headless Chromium against the real binary: a trainee
// plays a session to its report in each language, a dropped network in the
// middle of a reply resumes without a repeated word, an admin uploads a PDF
// and watches it ingest, searches, creates a user; the main pages have no
// serious accessibility violation and fit a phone's screen; the team page
// shows the API's numbers and downloads its CSV.
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
  await page.setInputFiles('#files', [new URL('tests/fixtures/knowledge/digital.pdf', root).pathname,
    new URL('data/demo/knowledge/lumen-faq.en.md', root).pathname]);
  assert.equal(await page.locator('.chosen li').count(), 2);
  await page.locator('button', { hasText: 'Upload' }).click();
  // Each file's progress shows while the job runs, and each ends indexed.
  await page.waitForSelector('.job[data-status=done]', { timeout: 120000 });
  assert.equal(await page.locator('.job .files li').count(), 2);
  assert.equal(await page.locator('.job .badge.indexed').count(), 2);
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

test('an admin reads the team page: the numbers of the API, the weakest criteria, a CSV download', async () => {
  // A session of the trainee played over the API, so the team has a report whatever ran before.
  const trainee = await server.login('trainee', server.traineePassword);
  const session = await server.api('POST', '/api/v1/sessions', trainee, { scenario_id: 'first-call-retail', language: 'en' });
  await server.api('POST', `/api/v1/sessions/${session.id}/turns`, trainee,
    { turn_id: 'team-1', text: 'Hello Mr Li, this is Anna from Lumen. How do you follow up with your customers today?' });
  await server.api('POST', `/api/v1/sessions/${session.id}/end`, trainee);
  const token = await server.login('trainer', adminPassword);
  const team = await server.api('GET', '/api/v1/team?language=en', token);
  assert.ok(team.criteria.length > 0 && team.trainees.some((u) => u.sessions_ended > 0), JSON.stringify(team));

  const page = await openPage(browser);
  await signIn(page, server.url, 'trainer', adminPassword);
  await page.locator('nav a', { hasText: 'Team' }).click();
  await page.waitForSelector('table.team-table tbody tr');
  assert.equal(await page.locator('h1').first().textContent(), 'Team');
  const fixed = (v) => (v == null ? '–' : v.toFixed(2));
  const percent = (v) => (v == null ? '–' : `${Math.round(v * 100)}%`);
  for (const u of team.trainees) {
    const row = page.locator(`table.team-table tr[data-user="${u.user_id}"]`);
    assert.equal(await row.locator('[data-field=sessions]').textContent(), `${u.sessions_ended}/${u.sessions_started}`);
    assert.equal(await row.locator('[data-field=average]').textContent(), fixed(u.average_overall));
    assert.equal(await row.locator('[data-field=latest]').textContent(), fixed(u.latest_overall));
    for (const c of team.criteria) {
      const cell = page.locator(`table.rates tr[data-user="${u.user_id}"] td[data-criterion="${c.id}"]`);
      assert.equal(await cell.textContent(), percent(u.criteria[c.id]), `${u.username} ${c.id}`);
    }
  }
  const weakest = await page.locator('ul.weakest li').evaluateAll((items) =>
    items.map((li) => [li.dataset.criterion, li.querySelector('[data-field=rate]').textContent]));
  assert.deepEqual(weakest, team.criteria.slice(0, weakest.length).map((c) => [c.id, percent(c.met_rate)]));
  assert.ok(weakest.length >= 1);
  assert.equal(await page.locator('canvas[role=img]').count(), 1);
  await screenshot(page, 'team');
  assert.deepEqual(await seriousViolations(page), []);

  // The CSV comes with the bearer token, as a download.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('button', { hasText: 'Export CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'team.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  assert.match(lines[0], /^session_id,username,scenario_id,language,status,created_at,ended_at,overall/);
  assert.equal(lines.length - 1, team.trainees.reduce((n, u) => n + u.sessions_started, 0));
  assert.ok(lines.some((l) => l.startsWith(`${session.id},trainee,first-call-retail,en,ended,`)));

  // Keyboard: the export button and the scrollable tables are reachable with Tab.
  const focusable = await page.evaluate(() => [...document.querySelectorAll('main button, main [tabindex="0"]')]
    .map((e) => e.tabIndex >= 0));
  assert.ok(focusable.length >= 2 && focusable.every(Boolean));

  await page.locator('button', { hasText: '中文' }).click();
  assert.equal(await page.locator('h1').first().textContent(), '团队');
  assert.equal(await page.locator('nav a[aria-current=page]').textContent(), '团队');
  assert.deepEqual(page.problems, []);

  const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(phone, server.url, 'trainer', adminPassword);
  await phone.goto(server.url + '/#/team');
  await phone.waitForSelector('table.team-table tbody tr');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the team page is ${overflow}px wider than the screen`);
  await screenshot(phone, 'team-phone');
  assert.deepEqual(await seriousViolations(phone), []);
  assert.deepEqual(phone.problems, []);
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

test('an admin edits a customer: a bad value is shown at its field, a good one is saved', async () => {
  const token = await server.login('trainer', adminPassword);
  const { courses } = await server.api('GET', '/api/v1/courses', token);
  const courseId = courses[0].id;
  const original = await server.api('GET', `/api/v1/courses/${courseId}/file`, token);
  try {
    const page = await openPage(browser);
    await signIn(page, server.url, 'trainer', adminPassword);
    await page.locator('nav a', { hasText: 'Courses' }).click();
    const difficulty = page.locator('[data-path="personas[0].difficulty"] input');
    await difficulty.fill('9');
    await page.locator('button', { hasText: 'Save' }).click();
    const error = page.locator('[data-path="personas[0].difficulty"] .field-error');
    await error.waitFor();
    assert.match(await error.textContent(), /1/);
    assert.equal(await difficulty.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.closest('[data-path]')?.dataset.path),
      'personas[0].difficulty', 'the first wrong field has the focus');
    await screenshot(page, 'catalog-error');
    const stillStored = await server.api('GET', `/api/v1/courses/${courseId}/file`, token);
    assert.equal(stillStored.personas[0].difficulty, original.personas[0].difficulty, 'nothing was stored');

    await difficulty.fill('3');
    await page.locator('[data-path="personas[0].name.en"] input').fill('Renamed customer');
    await page.locator('button', { hasText: 'Save' }).click();
    await page.locator('.notice', { hasText: 'Saved' }).waitFor();
    assert.equal(await page.locator('.field-error').count(), 0);
    const stored = await server.api('GET', `/api/v1/courses/${courseId}/file`, token);
    assert.equal(stored.personas[0].difficulty, 3);
    assert.equal(stored.personas[0].name.en, 'Renamed customer');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
  } finally {
    await server.api('PUT', `/api/v1/courses/${courseId}`, token, original);
  }
});

test('a trainee who sends too fast sees a countdown and can send again after it', async () => {
  const limited = await Server.start(['--set', 'limits.turn_burst=1', '--set', 'limits.turn_per_minute=20']);
  try {
    const page = await openPage(browser);
    await signIn(page, limited.url, 'trainee', limited.traineePassword);
    await startScenario(page, 'First call with a store owner', 'en');
    await page.fill('#reply', 'Hello Mr Li, this is Anna from Lumen.');
    await page.keyboard.press('Enter');
    await page.fill('#reply', 'How do you follow up with customers today?');
    await page.keyboard.press('Enter');
    const countdown = page.locator('.notice', { hasText: 'you can send again in' });
    await countdown.waitFor({ timeout: 10000 });
    assert.match(await countdown.textContent(), /in [1-9]\d* s/);
    assert.equal(await page.locator('button[type=submit]').isDisabled(), true);
    await countdown.waitFor({ state: 'detached', timeout: 15000 });
    await page.fill('#reply', 'How do you follow up with customers today?');
    await page.keyboard.press('Enter');
    await awaitReply(page, 2);
    assert.equal(await page.locator('.line.trainee').count(), 2);
    assert.deepEqual(page.problems, []);
  } finally {
    await limited.stop();
  }
});

test('the console can be used from the keyboard alone', async () => {
  const page = await openPage(browser);
  await page.goto(server.url + '/');
  // Tab moves from field to field; Enter submits.
  await page.locator('#username').focus();
  await page.keyboard.type('trainee');
  await page.keyboard.press('Tab');
  await page.keyboard.type(server.traineePassword);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.card.persona');
  // Tab to the first customer card and choose it with Enter.
  let onCard = false;
  for (let i = 0; i < 20 && !onCard; ++i) {
    await page.keyboard.press('Tab');
    onCard = await page.evaluate(() => document.activeElement?.classList.contains('persona'));
  }
  assert.ok(onCard, 'a customer card takes the focus');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.rubric li');
  // On to the start button, and the session starts.
  let onStart = false;
  for (let i = 0; i < 40 && !onStart; ++i) {
    await page.keyboard.press('Tab');
    onStart = await page.evaluate(() => /Start practice/.test(document.activeElement?.textContent || ''));
  }
  assert.ok(onStart, 'the start button takes the focus');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.status.online');
  await page.locator('#reply').focus();
  await page.keyboard.type('Hello, this is Anna from Lumen.');
  await page.keyboard.press('Enter');
  await awaitReply(page, 1);
  assert.equal(await page.locator('.line.trainee').count(), 1);
  assert.deepEqual(page.problems, []);
});

test('a trainee who promises returns sees the rule broken at once and a capped report', async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, 'trainee', server.traineePassword);
  await startScenario(page, 'First call with a store owner', 'en');
  await play(page, script('first-call-retail.li-wei.en.blocker-guaranteed-return'));
  // The turn that broke a conduct rule is flagged under the trainee's words, and the checklist shows it broken.
  assert.ok(await page.locator('.line.trainee .flag').count() >= 1);
  assert.ok(await page.locator('.checklist li.broken').count() >= 1);
  await screenshot(page, 'practice-blocker');
  await finishAndOpenReport(page);
  assert.match(await page.locator('.notice').first().textContent(), /capped/);
  assert.ok(await page.locator('.card.alert li').count() >= 1, 'the blockers are listed');
  const overall = Number(await page.locator('.overall .score').textContent());
  assert.ok(overall <= 3, `overall ${overall}`);
  assert.deepEqual(page.problems, []);
});
