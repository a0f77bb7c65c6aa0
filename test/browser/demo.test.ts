/**
 * Issue 9: the demo as a newcomer runs it — `node dist/scripts/demo.js` on a fresh DATA_DIR — and
 * what they should see within 60 s of the command: the sample tenant's rooms as places, a
 * ready-made meeting's loan in the add-in harness, a loan made in Hector in the emulator's
 * calendars; then Ctrl-C stops everything cleanly.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'dist', 'scripts', 'demo.js');
const WEB = path.join(ROOT, 'dist', 'web');
const CHROMIUM = '/usr/bin/chromium';
const BUDGET_MS = 60_000;
const TAGGED_ROOM = 'salle-b103@universite.test';

jest.setTimeout(300_000);

let dataDir: string;
let demo: ChildProcess | undefined;
let output = '';
let startedAt = 0;
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let ca: string | undefined;

interface Ready {
  adminToken: string;
  apiBase: string;
  publicUrl: string;
  graphUrl: string;
  authorityUrl: string;
  manifestUrl: string;
  adminPage: string;
  emulatorUrl: string;
  /** The first ready-made meeting's loan number and harness URLs. */
  loanNumber: number;
  organizerHarness: string;
  attendeeHarness: string;
}
let ready: Ready;

/** What is left of the 60 s the issue allows from the command. */
const remaining = (): number => Math.max(1_000, startedAt + BUDGET_MS - Date.now());

interface Reply {
  status: number;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

async function request(
  url: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<Reply> {
  const target = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: options.method ?? 'GET',
        ca,
        agent: false,
        headers: {
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        timeout: 20_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, json: <T>() => JSON.parse(text) as T }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = remaining(),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not seen in time${last ? ` (${String(last)})` : ''}\n--- demo output ---\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const line = (label: string): string => {
  // The block printed once ready (the service also prints the token on its first start).
  const block = output.slice(output.indexOf('hector-outlook demo'));
  const match = new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(block);
  if (!match) throw new Error(`the demo did not print "${label}"\n${output}`);
  return match[1];
};

beforeAll(async () => {
  if (!fs.existsSync(DEMO) || !fs.existsSync(path.join(WEB, 'addin'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-demo-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  for (const name of ['ADMIN_TOKEN', 'PUBLIC_URL', 'DATABASE_URL', 'HECTOR_DEMO_CHILD', 'NODE_OPTIONS']) {
    delete env[name];
  }
  startedAt = Date.now();
  demo = spawn(process.execPath, [DEMO], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exit = new Promise((resolve) => demo!.once('exit', (code, signal) => resolve({ code, signal })));
});

afterAll(async () => {
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    demo.kill('SIGKILL');
    await exit;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo, as a newcomer runs it', () => {
  it('prints, once ready, the admin token, the emulator URLs, harness URLs, the manifest, the API base and how to stop', async () => {
    await until('the "Demo ready" line', async () => {
      if (demo!.exitCode !== null) throw new Error(`the demo exited with ${demo!.exitCode}\n${output}`);
      return /^Demo ready: /m.test(output) ? true : undefined;
    });
    const caFile = path.join(dataDir, 'certs', 'ca.crt');
    if (fs.existsSync(caFile)) ca = fs.readFileSync(caFile, 'utf8');
    const publicUrl = /^Demo ready: (\S+)/m.exec(output)![1];
    const first = /^\s*• .* — loan #(\d+)/m.exec(output);
    const organizer = /^\s*organizer\s+\S+\s+(\S*\/harness\?\S+)/m.exec(output);
    const attendee = /^\s*attendee\s+\S+\s+(\S*\/harness\?\S+)/m.exec(output);
    expect(first).not.toBeNull();
    expect(organizer).not.toBeNull();
    expect(attendee).not.toBeNull();
    const graphUrl = line('Graph emulator');
    ready = {
      adminToken: line('Admin token'),
      apiBase: line('API base'),
      publicUrl,
      graphUrl,
      authorityUrl: line('Authority'),
      manifestUrl: line('Manifest'),
      adminPage: line('Admin page'),
      emulatorUrl: graphUrl.replace(/\/v1\.0$/, ''),
      loanNumber: Number(first![1]),
      organizerHarness: organizer![1],
      attendeeHarness: attendee![1],
    };
    expect(ready.adminToken.length).toBeGreaterThanOrEqual(16);
    expect(ready.graphUrl).toMatch(/^https?:\/\/.+\/v1\.0$/);
    expect(ready.authorityUrl).toMatch(/^https?:\/\/.+\/[0-9a-f-]{36}$/);
    expect(ready.apiBase).toBe(`${publicUrl}/api`);
    expect(ready.manifestUrl).toBe(`${publicUrl}/manifest.xml`);
    expect(ready.adminPage).toBe(`${publicUrl}/admin/`);
    expect(output).toMatch(/Ctrl-C/);
    // https with development certificates made on first run (or a line saying why not).
    if (publicUrl.startsWith('https:')) expect(ca).toBeDefined();
    else expect(output).toMatch(/plain http on loopback/);
    const manifest = await request(ready.manifestUrl);
    expect(manifest.status).toBe(200);
    expect(manifest.text).toContain(publicUrl);
  });

  it("R1/R3: the sample tenant's rooms, all but the tagged one, are places", async () => {
    const state = (await request(`${ready.emulatorUrl}/_emulator/state`)).json<{
      rooms: Array<{ emailAddress: string; tags?: string[] }>;
    }>();
    const expected = state.rooms
      .filter((r) => !(r.tags ?? []).includes('non-hector'))
      .map((r) => r.emailAddress.toLowerCase())
      .sort();
    expect(expected).toHaveLength(11);
    const places = await until('the rooms as places', async () => {
      const res = await request(`${ready.apiBase}/hector/places?synced=true&active=true`, {
        token: ready.adminToken,
      });
      const emails = res
        .json<{ items: Array<{ email: string | null }> }>()
        .items.map((p) => (p.email ?? '').toLowerCase())
        .filter(Boolean)
        .sort();
      return emails.length === expected.length ? emails : undefined;
    });
    expect(places).toEqual(expected);
    expect(places).not.toContain(TAGGED_ROOM);
  });

  it("OC1/A1: a ready-made meeting's loan is in Hector and shows in the add-in harness", async () => {
    const loan = await until('the ready-made loan', async () => {
      const res = await request(`${ready.apiBase}/hector/loans?limit=500`, { token: ready.adminToken });
      return res
        .json<{ items: Array<{ number: number; status: string; items: Array<{ email: string | null }> }> }>()
        .items.find((l) => l.number === ready.loanNumber);
    });
    expect(loan.status).toBe('new');
    expect(loan.items.map((i) => i.email)).toContain('salle-a101@universite.test');

    const harness = await request(ready.organizerHarness);
    expect(harness.status).toBe(200);
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`Chromium is required under CI (${CHROMIUM} not found)`);
      process.stderr.write(`\n*** SKIPPED the harness check: no Chromium at ${CHROMIUM} ***\n\n`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--ignore-certificate-errors',
      ],
    });
    try {
      const page = await browser.newPage({ ignoreHTTPSErrors: true });
      for (const url of [ready.organizerHarness, ready.attendeeHarness]) {
        await page.goto(`${url}&lang=en-US`);
        await page
          .getByText(new RegExp(`Loan\\s*#?${ready.loanNumber}\\b`))
          .first()
          .waitFor({ timeout: remaining() });
      }
    } finally {
      // playwright gives the browser a fresh profile of its own and removes it on close.
      await browser.close();
    }
  });

  it("HC1: a loan created through the API appears in the emulator's calendars", async () => {
    const places = (
      await request(`${ready.apiBase}/hector/places?synced=true`, { token: ready.adminToken })
    ).json<{ items: Array<{ id: string; email: string | null }> }>().items;
    const room = places.find((p) => p.email === 'salle-a201@universite.test')!;
    const start = new Date(Date.now() + 4 * 86_400_000);
    start.setUTCHours(14, 0, 0, 0);
    while (start.getUTCDay() === 0 || start.getUTCDay() === 6) start.setUTCDate(start.getUTCDate() + 1);
    const created = await request(`${ready.apiBase}/hector/loans`, {
      method: 'POST',
      token: ready.adminToken,
      body: {
        requester: { email: 'lea.dubois@universite.test' },
        start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(),
        items: [{ kind: 'place', id: room.id }],
      },
    });
    expect(created.status).toBe(201);
    const loan = created.json<{ number: number }>();
    const event = await until("the loan's event in the organizer's calendar", async () => {
      const res = await request(`${ready.emulatorUrl}/_emulator/people/lea.dubois@universite.test/events`);
      const events = res.json<{
        value: Array<{ subject?: string; attendees?: Array<{ emailAddress?: { address?: string } }> }>;
      }>().value;
      return events.find((e) => (e.subject ?? '').includes(String(loan.number)));
    });
    expect(event.attendees?.map((a) => a.emailAddress?.address?.toLowerCase())).toContain(
      'salle-a201@universite.test',
    );
  });

  it('stops cleanly on Ctrl-C (SIGINT): both processes exit, code 0', async () => {
    demo!.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exit,
      new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000))),
    ]);
    clearTimeout(timer);
    // On a failure, what the demo printed last says why.
    if (outcome === 'hung' || outcome.code !== 0)
      throw new Error(`the demo ended ${JSON.stringify(outcome)}:\n${output.slice(-3000)}`);
    expect(outcome).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/Demo stopped\./);
    await expect(request(`${ready.emulatorUrl}/_emulator/state`)).rejects.toThrow();
    await expect(request(`${ready.publicUrl}/healthz`)).rejects.toThrow();
  });
});
