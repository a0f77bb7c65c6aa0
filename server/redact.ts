/**
 * Deep redaction of log objects (issue 16: pino's `redact` paths reach one level under a wildcard,
 * so `{ job: { settings: { clientSecret } } }` went out whole). Keys that name a secret are
 * censored at any depth; strings have their `validationToken=…` query values and Bearer tokens
 * censored. Objects are copied only where something changes.
 */
export const CENSOR = '[redacted]';

/** Keys whose values are secrets wherever they appear (compared without case, `-` and `_`). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'setcookie',
    'secret',
    'clientsecret',
    'clientsecretsealed',
    'clientsecretencrypted',
    'secretkey',
    'password',
    'token',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'admintoken',
    'assertion',
    'clientstate',
    'validationtoken',
    'bearer',
  ].map((k) => k.toLowerCase()),
);

const normalise = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(normalise(key));

const IN_STRING: Array<[RegExp, string]> = [
  [/(validationToken=)[^&\s#"']*/gi, `$1${CENSOR}`],
  [/(clientState=)[^&\s#"']*/gi, `$1${CENSOR}`],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${CENSOR}`],
];

export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of IN_STRING) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 12;

/** A copy of `value` with secrets censored; the value itself when there was nothing to censor. */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = redactDeep(item, depth + 1, seen);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value instanceof Error) {
    // A copy of the same class (pino's err serializer names it by its constructor), censored.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    Object.defineProperty(copy, 'message', {
      value: redactString(value.message),
      enumerable: false,
      writable: true,
    });
    Object.defineProperty(copy, 'stack', {
      value: value.stack && redactString(value.stack),
      enumerable: false,
      writable: true,
    });
    if (value.cause !== undefined) copy.cause = redactDeep(value.cause, depth + 1, seen);
    for (const [k, v] of Object.entries(value))
      copy[k] = isSecretKey(k) ? CENSOR : redactDeep(v, depth + 1, seen);
    return copy;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const next = isSecretKey(k) && v !== undefined && v !== null ? CENSOR : redactDeep(v, depth + 1, seen);
    if (next !== v) changed = true;
    out[k] = next;
  }
  return changed ? out : value;
}
