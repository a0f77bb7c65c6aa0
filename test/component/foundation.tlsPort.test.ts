import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ensureDevCertificates, type DevCertificates } from '../../emulator/certs';
import { createListener, isLoopback } from '../../server/http/listener';
import type { Service } from '../../server/main';
import { startTestService } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Issue 2 ("curl http://localhost:$PORT/readyz answers 200" while the demo serves https): with
// TLS, one port answers https to everyone and plain http to the host itself; others are sent to https.
jest.setTimeout(60_000);

let certDir: string;
let certs: DevCertificates;
let storage: TestStorage;
let service: Service;

beforeAll(async () => {
  // The shared development certificates (made once, reused while valid: making them is slow).
  certDir = path.resolve('data/certs');
  certs = await ensureDevCertificates(certDir);
  storage = await createTestStorage('tls-port');
  service = await startTestService(storage, {
    TLS_CERT_FILE: path.join(certDir, 'localhost.crt'),
    TLS_KEY_FILE: path.join(certDir, 'localhost.key'),
  });
});

afterAll(async () => {
  await service?.close();
  await storage?.drop();
});

interface Answer {
  status: number;
  body: string;
  location?: string;
}

function get(url: string, options: https.RequestOptions = {}): Promise<Answer> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, options, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on('error', reject);
  });
}

describe('foundation: the TLS port', () => {
  it('answers /readyz over https (trusting the dev CA) and over plain http from the host itself', async () => {
    const secure = await get(`https://localhost:${service.port}/readyz`, { ca: certs.ca });
    expect(secure.status).toBe(200);
    const plain = await get(`http://localhost:${service.port}/readyz`);
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body)).toMatchObject({ status: 'ready' });
  });

  it('refuses a certificate it cannot verify (no verification is switched off)', async () => {
    await expect(get(`https://localhost:${service.port}/readyz`)).rejects.toThrow(/certificate/i);
  });

  it('redirects plain http from another machine to https', async () => {
    // Another machine is this one's own network address: not loopback, so not served in clear.
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const listener = createListener((_req, res) => res.end('secret'), {
      cert: Buffer.from(certs.cert),
      key: Buffer.from(certs.key),
    });
    await listener.listen(0, '0.0.0.0');
    try {
      const port = listener.address().port;
      expect((await get(`http://127.0.0.1:${port}/x?y=1`)).body).toBe('secret');
      if (!address) {
        console.warn('SKIPPED the remote part: this machine has no non-loopback IPv4 address');
        return;
      }
      const remote = await get(`http://${address}:${port}/x?y=1`);
      expect(remote.status).toBe(308);
      expect(remote.location).toBe(`https://${address}:${port}/x?y=1`);
      expect(remote.body).not.toContain('secret');
    } finally {
      await listener.close();
    }
  });

  it('closes promptly with a kept-alive connection open', async () => {
    const listener = createListener((_req, res) => res.end('ok'), {
      cert: Buffer.from(certs.cert),
      key: Buffer.from(certs.key),
    });
    await listener.listen(0, '127.0.0.1');
    const agent = new http.Agent({ keepAlive: true });
    const port = listener.address().port;
    expect((await get(`http://127.0.0.1:${port}/`, { agent })).body).toBe('ok');
    // Idle keep-alive sockets are ended at once: close() does not wait out keepAliveTimeout (65 s).
    const hung = new Promise((resolve) => setTimeout(() => resolve('still open'), 30_000).unref());
    await expect(Promise.race([listener.close().then(() => 'closed'), hung])).resolves.toBe('closed');
    agent.destroy();
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.2', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
