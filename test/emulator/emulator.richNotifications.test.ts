import type { Client } from '@microsoft/microsoft-graph-client';
import { generateKeyPairSync } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { selfSignedCertificate } from '../../server/graph/selfSignedCertificate';
import { decryptContent, type EncryptedContent } from '../../server/sync/richNotifications/decrypt';
import { goodWebhook, graphClientFor, inDays, startReceiver, type Receiver } from './support';

// Rich notifications (GDC concepts/change-notifications-with-resource-data.md): subscriptions
// with resource data, and the notifications they carry, encrypted as Graph documents it.
const ROOM = 'salle-a102@universite.test';
const SELECT =
  '$select=iCalUId,type,start,end,organizer,attendees,isCancelled,responseStatus,lastModifiedDateTime';

describe('rich notifications (includeResourceData)', () => {
  let emu: RunningEmulator;
  let graph: Client;
  let receiver: Receiver;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = new Date();
  const cert = selfSignedCertificate({
    ...keys,
    commonName: 'test',
    notBefore: now,
    notAfter: new Date(now.getTime() + 86_400_000 * 30),
  });

  beforeAll(async () => {
    emu = await startEmulator({ tls: false, faults: { validationTimeoutMs: 300, retryBackoffMs: 10 } });
    graph = await graphClientFor(emu);
    receiver = await startReceiver(goodWebhook);
  });
  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });
  afterEach(async () => {
    await emu.control.flushNotifications();
    emu.control.resetFaults();
    emu.control.setFaults({ validationTimeoutMs: 300, retryBackoffMs: 10 });
  });

  const subscribe = (over: Record<string, unknown> = {}, minutes = 1400) =>
    graph.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: `${receiver.url}/webhooks/graph`,
      lifecycleNotificationUrl: `${receiver.url}/webhooks/graph/lifecycle`,
      resource: `/users/${ROOM}/events?${SELECT}`,
      expirationDateTime: new Date(emu.control.clock.nowMs() + minutes * 60_000).toISOString(),
      clientState: 'secret-state',
      includeResourceData: true,
      encryptionCertificate: cert.der.toString('base64'),
      encryptionCertificateId: 'cert-1',
      ...over,
    });
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 201,
      (e: { statusCode?: number }) => e.statusCode,
    );

  it('B10: refuses a rich subscription without $select, without a certificate, or beyond 1,440 minutes', async () => {
    expect(await status(subscribe({ resource: `/users/${ROOM}/events` }))).toBe(400);
    expect(await status(subscribe({ encryptionCertificate: undefined }))).toBe(400);
    expect(await status(subscribe({ encryptionCertificate: 'bm90IGEgY2VydA==' }))).toBe(400);
    expect(await status(subscribe({ encryptionCertificateId: undefined }))).toBe(400);
    expect(await status(subscribe({}, 1500))).toBe(400);
  });

  it('B10: refuses rich subscriptions where the knob says so, plain ones still work', async () => {
    emu.control.setFaults({ refuseRichSubscriptions: [ROOM] });
    expect(await status(subscribe())).toBe(400);
    expect(
      await status(
        subscribe({
          includeResourceData: undefined,
          encryptionCertificate: undefined,
          resource: `/users/${ROOM}/events`,
        }),
      ),
    ).toBe(201);
  });

  it('B10: notifications carry the copy encrypted for our certificate, and validation tokens of the tenant', async () => {
    const sub = await subscribe();
    expect(sub).toMatchObject({ includeResourceData: true, encryptionCertificateId: 'cert-1' });
    const meeting = emu.control.person('hugo.bernard@universite.test').createMeeting({
      subject: 'Cours',
      start: inDays(1, 8, emu),
      end: inDays(1, 9, emu),
      rooms: [ROOM],
    });
    await emu.control.flushNotifications();
    const posts = receiver.received
      .filter((x) => !x.query.has('validationToken') && x.path === '/webhooks/graph')
      .map(
        (x) => JSON.parse(x.body) as { value: Array<Record<string, unknown>>; validationTokens?: string[] },
      );
    const body = posts.find((p) => p.value.some((n) => n.subscriptionId === sub.id))!;
    const item = body.value.find((n) => n.subscriptionId === sub.id)!;
    const content = item.encryptedContent as EncryptedContent;
    expect(content.encryptionCertificateId).toBe('cert-1');
    expect(content.encryptionCertificateThumbprint).toBe(cert.thumbprint);
    const opened = decryptContent(content, keys.privateKey);
    expect(opened.ok).toBe(true);
    const resource = (opened as { resource: Record<string, unknown> }).resource;
    expect(resource).toMatchObject({ iCalUId: meeting.iCalUId, type: 'singleInstance', isCancelled: false });
    expect(resource.id).toBe((item.resourceData as { id: string }).id);
    // $select: nothing beyond it (no subject, no body, no extended properties).
    expect(resource.subject).toBeUndefined();
    expect(resource.singleValueExtendedProperties).toBeUndefined();
    expect((resource.start as { timeZone: string }).timeZone).toBe('UTC');

    // A tampered signature does not verify.
    expect(
      decryptContent({ ...content, dataSignature: Buffer.alloc(32).toString('base64') }, keys.privateKey),
    ).toEqual({
      ok: false,
      reason: 'the data signature does not match',
    });

    // One validation token for our app, signed by the tenant's published keys.
    expect(body.validationTokens).toHaveLength(1);
    const jwks = createRemoteJWKSet(new URL(`${emu.authorityUrl}/${emu.tenantId}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(body.validationTokens![0], jwks, {
      issuer: `https://sts.windows.net/${emu.tenantId}/`,
      audience: emu.control.clientId,
    });
    expect(payload.appid).toBe('0bf30f3b-4a52-48df-9a82-234910c4a086');
    expect(payload.tid).toBe(emu.tenantId);

    // Deleted: no resource data.
    receiver.received.length = 0;
    emu.control.person('hugo.bernard@universite.test').cancelMeeting(meeting.id!);
    await emu.control.flushNotifications();
    const deleted = receiver.received
      .filter((x) => x.path === '/webhooks/graph')
      .flatMap((x) => (JSON.parse(x.body) as { value: Array<Record<string, unknown>> }).value)
      .filter((n) => n.subscriptionId === sub.id && n.changeType === 'deleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const n of deleted) expect(n.encryptedContent).toBeUndefined();
  });

  it('B10: a renewal stays within 1,440 minutes and may rotate the certificate', async () => {
    const sub = await subscribe();
    const tooFar = new Date(emu.control.clock.nowMs() + 1500 * 60_000).toISOString();
    expect(await status(graph.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: tooFar }))).toBe(
      400,
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const next = selfSignedCertificate({
      ...other,
      commonName: 'next',
      notBefore: now,
      notAfter: new Date(now.getTime() + 86_400_000),
    });
    const renewed = await graph.api(`/subscriptions/${sub.id}`).patch({
      expirationDateTime: new Date(emu.control.clock.nowMs() + 1440 * 60_000).toISOString(),
      encryptionCertificate: next.der.toString('base64'),
      encryptionCertificateId: 'cert-2',
    });
    expect(renewed.encryptionCertificateId).toBe('cert-2');
  });
});
