import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

/** The first byte of a TLS ClientHello (record type "handshake"). */
const TLS_HANDSHAKE = 0x16;

export interface Listener {
  listen(port: number, host: string): Promise<void>;
  address(): AddressInfo;
  /** Stops accepting; resolves once every connection has ended. */
  close(): Promise<void>;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * The service's socket. Without TLS, plain http. With TLS, one port speaks both: the first byte of
 * a connection tells a TLS handshake from a plain request. Plain http is served to loopback
 * clients only (a health probe or `curl http://localhost:PORT/readyz` on the host itself); anyone
 * else is redirected to https, so nothing leaves the machine unencrypted.
 */
export function createListener(app: RequestListener, tls?: TlsFiles): Listener {
  const servers: http.Server[] = [];
  const serve = <S extends http.Server>(server: S): S => {
    server.keepAliveTimeout = 65_000;
    servers.push(server);
    return server;
  };

  let front: net.Server;
  // Servers that never listen themselves: they are told they do, so that Node tracks their
  // connections (idle ones can be closed at shutdown) and enforces its request timeouts.
  const inner: http.Server[] = [];
  if (!tls) {
    front = serve(http.createServer(app));
  } else {
    const secure = serve(https.createServer({ cert: tls.cert, key: tls.key }, app));
    const plain = serve(http.createServer(app));
    const redirect = serve(
      http.createServer((req, res) => {
        const host = req.headers.host ?? 'localhost';
        res.writeHead(308, { Location: `https://${host}${req.url ?? '/'}`, Connection: 'close' });
        res.end();
      }),
    );
    inner.push(secure, plain, redirect);
    front = net.createServer((socket) => {
      socket.once('error', () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        const target =
          first[0] === TLS_HANDSHAKE ? secure : isLoopback(socket.remoteAddress) ? plain : redirect;
        target.emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
  }

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        front.once('error', reject);
        front.listen(port, host, () => {
          front.off('error', reject);
          for (const s of inner) s.emit('listening');
          resolve();
        });
      });
    },
    address: () => front.address() as AddressInfo,
    close() {
      return new Promise((resolve) => {
        front.close(() => resolve());
        // An inner server's close() stops its timers and ends its idle connections; it then
        // reports ERR_SERVER_NOT_RUNNING, which is expected: the front socket was the listener.
        for (const s of inner) s.close(() => undefined);
        for (const s of servers) s.closeIdleConnections();
      });
    },
    closeIdleConnections: () => servers.forEach((s) => s.closeIdleConnections()),
    closeAllConnections: () => servers.forEach((s) => s.closeAllConnections()),
  };
}

/** Whether a peer address is this machine (IPv4 127/8, IPv6 ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
