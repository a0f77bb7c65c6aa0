import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { addinStaticRouter, renderManifest } from '../../server/http/addinStatic';
import type { Service } from '../../server/main';
import { startTestService } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

jest.setTimeout(60_000);

const PUBLIC_URL = 'https://hector.univ-exemple.fr';

describe('A3: the server gives admins a manifest with its own PUBLIC_URL', () => {
  let storage: TestStorage;
  let service: Service;
  beforeAll(async () => {
    storage = await createTestStorage('addin-manifest');
    service = await startTestService(storage, { PUBLIC_URL });
  });
  afterAll(async () => {
    await service?.close();
    await storage?.drop();
  });

  it('A3: GET /manifest.xml has PUBLIC_URL in every URL and no development address left', async () => {
    const res = await request(service.url).get('/manifest.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const xml = res.text;
    expect(xml).not.toContain('localhost:3000');
    expect(xml).toContain(`${PUBLIC_URL}/addin/taskpane.html`);
    expect(xml).toContain(`${PUBLIC_URL}/assets/icon-80.png`);
    expect(xml).toContain(
      '<Resource>api://hector.univ-exemple.fr/33333333-3333-4333-8333-333333333333</Resource>',
    );
    const urls = [...xml.matchAll(/(?:DefaultValue|Value)="([a-z]+:\/\/[^"]+)"/gi)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
  });

  it('A3: GET /manifest.json is the unified manifest with PUBLIC_URL', async () => {
    const res = await request(service.url).get('/manifest.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const manifest = JSON.parse(res.text);
    expect(res.text).not.toContain('localhost:3000');
    expect(manifest.extensions[0].runtimes[0].code.page).toBe(`${PUBLIC_URL}/addin/taskpane.html`);
    expect(manifest.validDomains).toEqual(['hector.univ-exemple.fr']);
  });

  it('A3: the icons the manifest names are served from /assets', async () => {
    for (const size of [16, 32, 64, 80, 128]) {
      const res = await request(service.url).get(`/assets/icon-${size}.png`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
    }
    expect((await request(service.url).get('/assets/make-icons.js')).status).toBe(404);
  });
});

describe('add-in static files', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-web-'));
  afterAll(() => fs.rmSync(webDir, { recursive: true, force: true }));
  const app = (options: { apiClientId?: string } = {}) =>
    express().use('/', addinStaticRouter({ publicUrl: PUBLIC_URL, webDir, ...options }));

  it('answers 503 "run npm run build" while the add-in is not built', async () => {
    const res = await request(app()).get('/addin/taskpane.html');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build');
    expect((await request(app()).get('/admin/')).status).toBe(503);
  });

  it('serves the built task pane (no cache, API client id filled in) and hashed bundles', async () => {
    fs.mkdirSync(path.join(webDir, 'addin'), { recursive: true });
    fs.writeFileSync(
      path.join(webDir, 'addin', 'taskpane.html'),
      '<meta name="hector-api-client-id" content="33333333-3333-4333-8333-333333333333"><script src="addin.abc.js"></script>',
    );
    fs.writeFileSync(path.join(webDir, 'addin', 'addin.abc.js'), 'console.log(1)');
    const page = await request(app({ apiClientId: '9a8b7c6d-0000-4000-8000-000000000001' })).get(
      '/addin/taskpane.html',
    );
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain('content="9a8b7c6d-0000-4000-8000-000000000001"');
    const bundle = await request(app()).get('/addin/addin.abc.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['cache-control']).toMatch(/immutable/);
    expect((await request(app()).get('/addin')).headers.location).toBe('/addin/taskpane.html');
  });

  it('A3 A1: with ADDIN_APP_ID_URI set, the manifests and the task pane name it as the SSO resource', async () => {
    const appIdUri = 'api://hector-api.univ-exemple.fr';
    const custom = express().use(
      '/',
      addinStaticRouter({
        publicUrl: PUBLIC_URL,
        webDir,
        apiClientId: '9a8b7c6d-0000-4000-8000-000000000001',
        apiAppIdUri: appIdUri,
      }),
    );
    const xml = (await request(custom).get('/manifest.xml').expect(200)).text;
    expect(xml).toContain(`<Resource>${appIdUri}</Resource>`);
    expect(xml).toContain('<Id>9a8b7c6d-0000-4000-8000-000000000001</Id>');
    const json = JSON.parse((await request(custom).get('/manifest.json').expect(200)).text);
    expect(json.webApplicationInfo.resource).toBe(appIdUri);
    fs.mkdirSync(path.join(webDir, 'addin'), { recursive: true });
    fs.writeFileSync(
      path.join(webDir, 'addin', 'taskpane.html'),
      '<meta name="hector-api-client-id" content="33333333-3333-4333-8333-333333333333" />\n<meta name="hector-api-app-id-uri" content="" />',
    );
    const page = (await request(custom).get('/addin/taskpane.html').expect(200)).text;
    expect(page).toContain(`<meta name="hector-api-app-id-uri" content="${appIdUri}" />`);
    // Unset, the default form stays (and the page's meta stays empty).
    const plain = (
      await request(app({ apiClientId: '9a8b7c6d-0000-4000-8000-000000000001' })).get('/manifest.xml')
    ).text;
    expect(plain).toContain(
      '<Resource>api://hector.univ-exemple.fr/9a8b7c6d-0000-4000-8000-000000000001</Resource>',
    );
  });

  it('renderManifest escapes the address for XML and JSON', () => {
    expect(
      renderManifest('<a b="https://localhost:3000/x"/>', { publicUrl: 'https://h.example/a&b', xml: true }),
    ).toBe('<a b="https://h.example/a&amp;b/x"/>');
    expect(
      renderManifest('{"u":"https://localhost:3000/x"}', { publicUrl: 'https://h.example/', xml: false }),
    ).toBe('{"u":"https://h.example/x"}');
  });
});
