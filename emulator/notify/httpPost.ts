/**
 * Outgoing POSTs (validation handshakes, notifications, $batch legs). Uses node:http(s) with an
 * explicit `ca` so the emulator trusts its own development CA without turning off verification.
 */
import http from 'node:http';
import https from 'node:https';

export interface PostResult {
  status: number;
  contentType: string;
  body: string;
  elapsedMs: number;
}

export function httpRequest(
  method: string,
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
  opts: { ca?: string; timeoutMs: number },
): Promise<PostResult> {
  const started = Date.now();
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
        ...(target.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
            elapsedMs: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Timed out after ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
