import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small round-robin HTTP proxy in front of the instances, as a load balancer with passive
 * health checks: each request goes to the next instance; one that refuses the connection (killed,
 * not started yet) is skipped for the next. Graph's webhooks, the admin's and Hector staff's
 * requests all come through it, so any instance may get any of them.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests forwarded per instance port. */
  forwarded: Map<number, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(ports: () => number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const forwarded = new Map<number, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const targets = ports();
      const attempt = (tries: number): void => {
        if (tries >= targets.length) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end('no instance answered');
          return;
        }
        const port = targets[next++ % targets.length];
        const upstream = http.request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
          (answer) => {
            forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          // Nothing was sent back yet: another instance may take it (a killed one refuses).
          if (!res.headersSent && (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET')) {
            attempt(tries + 1);
            return;
          }
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
