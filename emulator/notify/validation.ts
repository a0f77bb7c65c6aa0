/**
 * The subscription validation handshake (GRAPH-FACTS "Change notifications"): POST
 * `{url}?validationToken=…`; the endpoint must answer 200, `text/plain`, the decoded token, within
 * 10 s (faults.validationTimeoutMs).
 */
import { randomBytes } from 'node:crypto';
import { GraphError } from '../errors';
import { httpRequest } from './httpPost';

export async function validateEndpoint(url: string, opts: { ca?: string; timeoutMs: number }): Promise<void> {
  // Real tokens contain spaces and punctuation, which is why the endpoint must URL-decode them.
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomBytes(8).toString('hex')}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  let result;
  try {
    result = await httpRequest(
      'POST',
      target.toString(),
      '',
      { 'content-type': 'text/plain; charset=utf-8' },
      opts,
    );
  } catch (err) {
    throw validationError(url, `the request failed or timed out (${(err as Error).message})`);
  }
  if (result.status !== 200) throw validationError(url, `the response status was ${result.status}, not 200`);
  if (!/^text\/plain/i.test(result.contentType))
    throw validationError(url, `the content type was '${result.contentType}', not text/plain`);
  if (result.body !== token)
    throw validationError(url, 'the response body did not match the validation token');
}

function validationError(url: string, why: string): GraphError {
  return new GraphError(
    400,
    'ValidationError',
    `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (${url}: ${why}).`,
  );
}
