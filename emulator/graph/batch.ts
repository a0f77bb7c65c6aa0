/**
 * `POST /v1.0/$batch` (GRAPH-FACTS "Throttling and batching"): at most 20 requests; each is sent
 * back through the emulator's own HTTP front door, so each is authorized and throttled on its own
 * (a 429 inside a 200 batch).
 */
import express from 'express';
import type { EmulatorContext } from '../context';
import { badRequest } from '../errors';
import { httpRequest } from '../notify/httpPost';

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const MAX_BATCH = 20;

export function batchRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  router.post('/$batch', async (req, res) => {
    const requests = ((req.body ?? {}) as { requests?: BatchRequest[] }).requests;
    if (!Array.isArray(requests) || !requests.length)
      throw badRequest('The batch request must contain requests.', 'BadRequest');
    if (requests.length > MAX_BATCH)
      throw badRequest(`Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`, 'BadRequest');
    const auth = req.header('authorization') ?? '';
    const run = async (r: BatchRequest): Promise<Record<string, unknown>> => {
      const url = `${ctx.graphUrl()}${r.url.startsWith('/') ? '' : '/'}${r.url}`;
      const headers: Record<string, string> = { ...(r.headers ?? {}), authorization: auth };
      let body: string | undefined;
      if (r.body !== undefined) {
        body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        headers['content-type'] = headers['content-type'] ?? 'application/json';
      }
      const out = await httpRequest(r.method.toUpperCase(), url, body, headers, {
        ca: ctx.ca,
        timeoutMs: 60_000,
      });
      const responseHeaders: Record<string, string> = {};
      if (out.contentType) responseHeaders['Content-Type'] = out.contentType;
      let parsed: unknown = undefined;
      if (out.body) {
        try {
          parsed = JSON.parse(out.body);
        } catch {
          parsed = out.body;
        }
      }
      return {
        id: r.id,
        status: out.status,
        headers: responseHeaders,
        ...(parsed !== undefined ? { body: parsed } : {}),
      };
    };
    // Requests without dependsOn run in parallel, as Graph may run them in any order.
    const sequential = requests.some((r) => r.dependsOn?.length);
    const responses: Record<string, unknown>[] = [];
    if (sequential) for (const r of requests) responses.push(await run(r));
    else responses.push(...(await Promise.all(requests.map(run))));
    res.json({ responses });
  });
  return router;
}
