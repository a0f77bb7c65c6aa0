import type { RequestHandler } from 'express';
import { secretsEqual } from '../store/adminToken';
import { unauthorized } from '../errors';

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function requireAdminToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !secretsEqual(match[1].trim(), token)) {
      next(unauthorized('A valid admin token is required: send Authorization: Bearer <ADMIN_TOKEN>.'));
      return;
    }
    next();
  };
}
