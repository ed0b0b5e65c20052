// What the browser tests run against: the real salesboost binary on a free
// port with its own data directory, an admin created with the CLI, a TCP
// proxy in front of it that can cut every connection (a network drop), and
// Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const binary = process.env.SALESBOOST_BINARY;
export const shots = process.env.SCREENSHOT_DIR || join(tmpdir(), 'salesboost-shots');
export const adminPassword = 'Trainer-pass-2026!';

async function waitFor(check, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class Server {
  static async start(extra = []) {
    if (!binary) throw new Error('SALESBOOST_BINARY is not set');
    const dir = mkdtempSync(join(tmpdir(), 'salesboost-web-'));
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(dir, 'admin.password'), adminPassword + '\n');
    const set = ['--set', `data.dir=${data}`];
    const created = spawnSync(binary, ['user', 'add', 'trainer', '--admin', '--display-name', 'Trainer',
      '--password-file', join(dir, 'admin.password'), ...set], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`user add failed: ${created.stderr}${created.stdout}`);
    const portFile = join(dir, 'port');
    const child = spawn(binary, ['serve', '--port', '0', '--port-file', portFile, ...set, ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const port = await waitFor(() => existsSync(portFile) && Number(readFileSync(portFile, 'utf8')), 60000,
      'the server to listen').catch((e) => { child.kill('SIGKILL'); throw new Error(`${e.message}\n${output}`); });
    const server = new Server();
    Object.assign(server, { dir, data, child, port, output: () => output });
    server.traineePassword = readFileSync(join(data, 'demo-trainee.password'), 'utf8').trim();
    return server;
  }

  get url() { return `http://127.0.0.1:${this.port}`; }

  async api(method, path, token, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(this.url + path, { method, headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async login(username, password) {
    return (await this.api('POST', '/api/v1/auth/login', null, { username, password })).token;
  }

  async stop() {
    this.child.kill('SIGTERM');
    await new Promise((r) => { if (this.child.exitCode !== null) r(); else this.child.on('exit', r); });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A TCP proxy to `port`: cut() closes every connection through it at once,
// as a network failure would; new connections are accepted again right away.
export class Proxy {
  static async start(port) {
    const proxy = new Proxy();
    proxy.sockets = new Set();
    proxy.server = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((r) => proxy.server.listen(0, '127.0.0.1', r));
    proxy.port = proxy.server.address().port;
    return proxy;
  }

  get url() { return `http://127.0.0.1:${this.port}`; }

  cut() {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async stop() {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

// A page that fails the test on a script error or a Content-Security-Policy violation.
export async function openPage(browser, { viewport = { width: 1280, height: 860 }, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404|409|429)/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

export async function signIn(page, base, username, password) {
  await page.goto(base + '/');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav[aria-label=main]');
}

export async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// Runs axe-core in the page; the violations of impact serious or critical.
export async function seriousViolations(page) {
  const source = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
