import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { healthRouter, NOT_READY_MESSAGE } from '../../server/http/healthRouter';
import { isOurAudience } from '../../server/http/userTokens';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics';
import { SecretBox } from '../../server/store/secretBox';

// Issue 16: the review's findings that need no server — redaction, sealing, /readyz, audience.

describe('issue 16: log redaction of secrets at any depth', () => {
  const capture = () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    return { logger: createLogger('info', sink), text: () => out };
  };
  const SECRETS = [
    'S-client-secret',
    'S-token',
    'S-state',
    'S-validation',
    'S-bearer',
    'S-err',
    'S-cause',
    'S-msg',
  ];

  it('tokens, clientState, client secret, validationToken in URLs and Authorization headers never reach a line', () => {
    const { logger, text } = capture();
    const error = new Error('GET /webhooks/graph?validationToken=S-err failed');
    Object.assign(error, { request: { headers: { Authorization: 'Bearer S-bearer' } } });
    logger.info(
      {
        event: 'deep',
        job: {
          settings: {
            integration: { clientSecret: 'S-client-secret', nested: [{ accessToken: 'S-token' }] },
          },
        },
        notification: { value: [{ subscriptionId: 'x', clientState: 'S-state' }] },
        url: '/webhooks/graph?validationToken=S-validation&tenant=1',
        err: error,
        cause: { error: new Error('upstream said Bearer S-cause') },
      },
      'message quoting /webhooks/graph?validationToken=S-msg',
    );
    const line = text();
    for (const secret of SECRETS) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a log line's shape is what is under test
    expect(parsed.job.settings.integration.clientSecret).toBe('[redacted]');
    expect(parsed.url).toBe('/webhooks/graph?validationToken=[redacted]&tenant=1');
    expect(parsed.err.type).toBe('Error');
    expect(parsed.err.request.headers.Authorization).toBe('[redacted]');
    // What is not a secret stays readable.
    expect(parsed.notification.value[0].subscriptionId).toBe('x');
    expect(parsed.event).toBe('deep');
  });
});

describe('issue 16: AES-GCM with a 16-byte tag and the column bound as AAD', () => {
  const key = randomBytes(32).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-box-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const box = SecretBox.fromConfig(key, dir);

  it('S1: seals as v2 and opens what it sealed', () => {
    const sealed = box.seal('p@ss');
    expect(sealed).toMatch(/^v2:/);
    expect(box.open(sealed)).toBe('p@ss');
  });

  it('S1: a value sealed for another column does not open (AAD)', () => {
    const other = box.forColumn('some_table.other_secret').seal('p@ss');
    expect(() => box.open(other)).toThrow();
  });

  it('S1: a truncated tag is refused (authTagLength 16 enforced)', () => {
    const [v, iv, tag, data] = box.seal('p@ss').split(':');
    const short = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open([v, iv, short, data].join(':'))).toThrow();
  });

  it('S1: the old format (v1, no AAD) still opens, and is flagged for resealing', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'hex'), iv);
    const data = Buffer.concat([cipher.update('legacy', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
    expect(box.open(v1)).toBe('legacy');
    expect(SecretBox.isLegacy(v1)).toBe(true);
    expect(SecretBox.isLegacy(box.seal('x'))).toBe(false);
  });

  it('issue 16: a generated key file is 0600 in a 0700 directory', () => {
    const fresh = path.join(dir, 'fresh');
    SecretBox.fromConfig(undefined, fresh);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(fresh, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});

describe('issue 16: /readyz answers a fixed message', () => {
  it('the raw database error (address, user) is logged, never answered', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const app = express().use(
      healthRouter({
        metrics: createMetrics(),
        logger: createLogger('info', sink),
        checkReady: () =>
          Promise.reject(
            new Error('connect ECONNREFUSED 10.1.2.3:5432 password authentication failed for user "hector"'),
          ),
      }),
    );
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'NOT_READY', message: NOT_READY_MESSAGE } });
    expect(res.text).not.toMatch(/10\.1\.2\.3|hector"|ECONNREFUSED/);
    expect(logged).toContain('ECONNREFUSED');
  });
});

describe('issue 16 / A1: the audience is exactly our client id or Application ID URI', () => {
  const id = '9a8b7c6d-0000-4000-8000-000000000001';
  const uri = `api://hector.example.org/${id}`;
  it.each([
    [`api://evil.example/${id}`, false],
    [`api://hector.example.org.evil/${id}`, false],
    [`api://${id}`, false],
    [`${uri}/`, false],
    [`${id}x`, false],
    [`https://hector.example.org/${id}`, false],
    [id, true],
    [uri, true],
    [uri.toUpperCase(), true],
  ])('aud %s → %s', (aud, accepted) => {
    expect(isOurAudience(aud, id, uri)).toBe(accepted);
    expect(isOurAudience(['https://graph.microsoft.com', aud], id, uri)).toBe(accepted);
  });
});
