import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { encryptResource } from '../../emulator/notify/richContent';
import { selfSignedCertificate } from '../../server/graph/selfSignedCertificate';
import { decryptContent } from '../../server/sync/richNotifications/decrypt';

// B10 (issue 18): our certificate and the decryption of what Graph encrypts with it
// (GDC concepts/change-notifications-with-resource-data.md, "Decrypting resource data").
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const notBefore = new Date('2026-12-01T00:00:00Z');
const notAfter = new Date('2050-03-01T00:00:00Z'); // past 2049: GeneralizedTime (RFC 5280)
const cert = selfSignedCertificate({ ...keys, commonName: 'hector-outlook', notBefore, notAfter });
const x509 = new X509Certificate(cert.der);
const forUs = { publicKey: x509.publicKey, certificateId: 'c1', thumbprint: cert.thumbprint };

describe('B10: the self-signed certificate', () => {
  it('B10: is an X.509 certificate node:crypto reads: subject, validity, our public key, self-signed', () => {
    expect(x509.subject).toBe('CN=hector-outlook');
    expect(x509.issuer).toBe('CN=hector-outlook');
    expect(new Date(x509.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(x509.validTo).toISOString()).toBe(notAfter.toISOString());
    expect(x509.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      keys.publicKey.export({ type: 'spki', format: 'der' }),
    );
    expect(x509.verify(keys.publicKey)).toBe(true);
    expect(cert.thumbprint).toBe(createHash('sha1').update(cert.der).digest('hex').toUpperCase());
    expect(x509.fingerprint.replace(/:/g, '')).toBe(cert.thumbprint);
  });

  it('B10: two certificates get different serial numbers', () => {
    const other = new X509Certificate(
      selfSignedCertificate({ ...keys, commonName: 'hector-outlook', notBefore, notAfter }).der,
    );
    expect(other.serialNumber).not.toBe(x509.serialNumber);
  });
});

describe('B10: decrypting a rich notification', () => {
  const resource = {
    id: 'e1',
    iCalUId: 'u1',
    start: { dateTime: '2026-12-03T09:00:00.0000000', timeZone: 'UTC' },
  };

  it('B10: opens what was encrypted for our certificate', () => {
    expect(decryptContent(encryptResource(JSON.stringify(resource), forUs), keys.privateKey)).toEqual({
      ok: true,
      resource,
    });
  });

  it('B10: refuses a payload whose signature does not match, before decrypting it', () => {
    const content = encryptResource(JSON.stringify(resource), forUs);
    const data = Buffer.from(content.data, 'base64');
    data[0] ^= 1;
    expect(decryptContent({ ...content, data: data.toString('base64') }, keys.privateKey)).toEqual({
      ok: false,
      reason: 'the data signature does not match',
    });
  });

  it('B10: refuses a key wrapped for another certificate', () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const content = encryptResource(JSON.stringify(resource), { ...forUs, publicKey: stranger.publicKey });
    expect(decryptContent(content, keys.privateKey)).toEqual({
      ok: false,
      reason: 'the data key does not open with our private key',
    });
  });

  it('B10: refuses decrypted data that is not a JSON object', () => {
    expect(decryptContent(encryptResource('[1,2]', forUs), keys.privateKey)).toEqual({
      ok: false,
      reason: 'the decrypted data is not a resource',
    });
  });
});
