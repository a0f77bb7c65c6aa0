/**
 * Control of application access policies (emulator/graph/accessPolicy.ts enforces them): the
 * emulator's stand-in for New-/Remove-/Get-ApplicationAccessPolicy with a RestrictAccess right,
 * the policy's group given as its members. Cleared by reset.
 */
import express from 'express';
import { GraphError } from '../errors';
import type { EmulatorState } from '../state';

export interface AccessPolicyView {
  appId: string;
  /** The members' user principal names, sorted. */
  mailboxes: string[];
}

export interface AccessPolicyControl {
  /** Restricts the app's app-only mailbox calls to these mailboxes (e-mails, UPNs or ids); replaces any earlier policy. */
  setAccessPolicy(appId: string, mailboxes: string[]): AccessPolicyView;
  /** Lifts the app's policy; false when it had none. */
  removeAccessPolicy(appId: string): boolean;
  accessPolicies(): AccessPolicyView[];
}

const invalid = (message: string): GraphError => new GraphError(400, 'ErrorInvalidRequest', message);

export function accessPolicyControl(state: EmulatorState): AccessPolicyControl {
  const view = (appId: string, ids: Set<string>): AccessPolicyView => ({
    appId,
    mailboxes: [...ids].map((id) => state.users.get(id)?.user.userPrincipalName ?? id).sort(),
  });
  const appOf = (appId: string): string => {
    if (!state.apps.has(appId)) throw new GraphError(404, 'NotFound', `No app '${appId}'.`);
    return appId;
  };
  return {
    setAccessPolicy(appId, mailboxes) {
      appOf(appId);
      if (!Array.isArray(mailboxes) || mailboxes.some((m) => typeof m !== 'string' || !m.trim()))
        throw invalid('mailboxes must be a list of e-mail addresses or user ids.');
      const ids = new Set<string>();
      for (const address of mailboxes) {
        const user = state.resolveUser(address.trim());
        if (!user) throw invalid(`'${address}' is not a mailbox of the tenant.`);
        ids.add(user.user.id!);
      }
      state.accessPolicies.set(appId, ids);
      return view(appId, ids);
    },
    removeAccessPolicy: (appId) => state.accessPolicies.delete(appOf(appId)),
    accessPolicies: () => [...state.accessPolicies].map(([appId, ids]) => view(appId, ids)),
  };
}

/** PUT / DELETE /_emulator/access-policies/{appId}, GET /_emulator/access-policies. */
export function accessPolicyRouter(control: AccessPolicyControl): express.Router {
  const router = express.Router();
  router.get('/access-policies', (_req, res) => {
    res.json({ value: control.accessPolicies() });
  });
  router.get('/access-policies/:appId', (req, res) => {
    const policy = control.accessPolicies().find((p) => p.appId === req.params.appId);
    if (!policy) throw new GraphError(404, 'NotFound', `No access policy for app '${req.params.appId}'.`);
    res.json(policy);
  });
  router.put('/access-policies/:appId', (req, res) => {
    const body = req.body as { mailboxes?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.mailboxes))
      throw invalid('The body must be {"mailboxes": [e-mail addresses or user ids]}.');
    res.json(control.setAccessPolicy(req.params.appId, body.mailboxes as string[]));
  });
  router.delete('/access-policies/:appId', (req, res) => {
    res.status(control.removeAccessPolicy(req.params.appId) ? 204 : 404).end();
  });
  return router;
}
