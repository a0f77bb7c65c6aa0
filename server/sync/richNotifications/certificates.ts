/**
 * Our encryption certificate for rich notifications (issue 18): an RSA 2048 key pair and a
 * self-signed certificate (Graph asks for an RSA key of 2,048–4,096 bits and does not check the
 * issuer, GDC concepts/change-notifications-with-resource-data.md "Managing encryption keys").
 * Rotation follows that page's "Rotating keys": a new certificate takes over before the current
 * one expires, new subscriptions and renewals carry it, and the old key stays while any
 * subscription still names it, and at least a day after it was superseded (Graph retries
 * deliveries for up to 4 hours, some encrypted with the old key).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { selfSignedCertificate } from '../../graph/selfSignedCertificate';
import type { NotificationCertificate, NotificationCertificates } from '../../store/notificationCertificates';

/** A superseded key is kept this long after its last subscription left it. */
const KEEP_SUPERSEDED_MS = 24 * 3600_000;

export interface CertificateKeeper {
  /** The certificate to subscribe with now: made on first use, replaced when due. */
  current(): Promise<NotificationCertificate>;
  /** Drops the keys nobody needs anymore (after the subscriptions moved off them). */
  prune(): Promise<string[]>;
}

export function createCertificateKeeper(deps: {
  store: NotificationCertificates;
  now: () => Date;
  lifetimeMs: number;
  rotateBeforeMs: number;
}): CertificateKeeper {
  let making: Promise<NotificationCertificate> | null = null;

  const make = async (): Promise<NotificationCertificate> => {
    const now = deps.now();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = selfSignedCertificate({
      publicKey,
      privateKey,
      commonName: 'hector-outlook change notifications',
      notBefore: new Date(now.getTime() - 5 * 60_000),
      notAfter: new Date(now.getTime() + deps.lifetimeMs),
    });
    const made: NotificationCertificate = {
      // Our own id for it (≤ 128 characters): every notification names it.
      id: `hector-${now.toISOString().slice(0, 10)}-${randomUUID()}`,
      certificate: cert.der.toString('base64'),
      thumbprint: cert.thumbprint,
      notAfter: cert.notAfter,
    };
    await deps.store.add({
      ...made,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      createdAt: now,
    });
    await deps.store.supersedeAllBut(made.id, now);
    return made;
  };

  return {
    async current() {
      const newest = await deps.store.newest();
      if (newest && newest.notAfter.getTime() - deps.now().getTime() > deps.rotateBeforeMs) return newest;
      // One generation at a time in this process; two instances may each make one (both valid).
      making ??= make().finally(() => {
        making = null;
      });
      return making;
    },
    prune: () => deps.store.removeUnused(new Date(deps.now().getTime() - KEEP_SUPERSEDED_MS)),
  };
}
