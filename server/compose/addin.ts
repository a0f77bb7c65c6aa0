import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { GraphGateway } from '../graph/gateway';
import type { HectorPort } from '../hector/port';
import { addinRouter } from '../http/addinRouter';
import type { Mount } from '../http/app';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { Links } from '../store/links';
import { harnessRouter } from '../testMode/harness';
import { createRateLimiter } from '../http/rateLimit';
import { createTokenVerifier } from '../http/userTokens';

export interface AddinAreaDeps {
  config: Pick<Config, 'authorityUrl' | 'addinClientId' | 'addinScope' | 'hectorLoanUrl' | 'testMode'>;
  logger: Logger;
  now: () => Date;
  graph(): Promise<GraphGateway | null>;
  /** The configured tenant (integration settings), null before they are saved. */
  tenantId(): Promise<string | null>;
  hector: Pick<HectorPort, 'getLoan' | 'listPlaces'>;
  links: Pick<Links, 'findLoanIdByICalUId' | 'findLinkByEventId'>;
  journal: Pick<Journal, 'list'>;
  /** Requests per user per minute on the add-in API (default 60). */
  perUserPerMinute?: number;
  /** Where webpack wrote the pages (default: <repository>/dist/web), for the harness. */
  webDir?: string;
}

/**
 * The add-in's server side (flow 8): `GET /api/addin/loan` and, in test mode only, the harness
 * that plays Outlook for the task pane. Built by server/main.ts only.
 */
export function buildAddinArea(deps: AddinAreaDeps): { mounts: Mount[] } {
  const { config } = deps;
  const verifyToken = config.addinClientId
    ? createTokenVerifier({
        authorityUrl: config.authorityUrl,
        clientId: config.addinClientId,
        scope: config.addinScope,
      })
    : null;
  const mounts: Mount[] = [
    {
      path: '/api/addin',
      router: addinRouter({
        verifyToken,
        tenantId: deps.tenantId,
        rateLimiter: createRateLimiter({
          limit: deps.perUserPerMinute ?? 60,
          windowMs: 60_000,
          now: deps.now,
        }),
        loans: {
          graph: deps.graph,
          hector: deps.hector,
          links: deps.links,
          journal: deps.journal,
          loanUrl: config.hectorLoanUrl,
        },
        logger: deps.logger,
      }),
    },
  ];
  if (config.testMode) {
    mounts.push({
      path: '/',
      router: harnessRouter({
        graph: deps.graph,
        authorityUrl: config.authorityUrl,
        apiClientId: config.addinClientId,
        webDir: deps.webDir ?? path.join(repositoryRoot(__dirname), 'dist', 'web'),
      }),
    });
  }
  return { mounts };
}

/** The nearest folder above `start` that holds manifest.xml (as addinStatic.ts finds it). */
function repositoryRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'manifest.xml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
