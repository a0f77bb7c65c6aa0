import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The dependency direction of docs/ARCHITECTURE.md is enforced by `npm run lint` (eslint/layers.mjs).
// These tests lint probe files with the project's own ESLint configuration, as `npm run lint` does,
// in one child process (ESLint's flat config is ESM; jest runs CommonJS).
const root = path.resolve(__dirname, '../..');

interface Probe {
  file: string;
  source: string;
}

const PROBES: Record<string, Probe> = {
  storeImportsHttp: {
    file: 'server/store/probe.ts',
    source: "import type { Mount } from '../http/app';\nexport type Probe = Mount;\n",
  },
  syncImportsExpress: {
    file: 'server/sync/probe.ts',
    source: "import { Router } from 'express';\nexport const probe = Router();\n",
  },
  pageImportsServer: {
    file: 'addin/probe.ts',
    source: "import { LOAN_STATUSES } from '../server/hector/statuses';\nexport const p = LOAN_STATUSES;\n",
  },
  pageImportsContractValues: {
    file: 'addin/probe.ts',
    source: "import { LOAN_STATUSES } from '../contract/loanStatus';\nexport const p = LOAN_STATUSES;\n",
  },
  syncImportsDown: {
    file: 'server/sync/probe.ts',
    source:
      "import type { Links } from '../store/links';\nimport type { Loan } from '../hector/port';\nexport type P = [Links, Loan];\n",
  },
  httpImportsSync: {
    file: 'server/http/probe.ts',
    source: "import type { RoomEventJob } from '../sync/jobs';\nexport type P = RoomEventJob;\n",
  },
};

const script = `
const { ESLint } = require('eslint');
const probes = JSON.parse(process.argv[1]);
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = {};
  for (const [name, p] of Object.entries(probes)) {
    const [result] = await eslint.lintText(p.source, { filePath: p.file });
    out[name] = result.messages.map((m) => m.ruleId + ': ' + m.message);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(2); });
`;

let messages: Record<string, string[]>;

beforeAll(() => {
  const result = spawnSync(process.execPath, ['-e', script, JSON.stringify(PROBES)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ESLint failed: ${result.stderr}`);
  messages = JSON.parse(result.stdout) as Record<string, string[]>;
});

describe('the layers (docs/ARCHITECTURE.md) are enforced by lint', () => {
  it('refuses a store file that imports the HTTP layer', () => {
    expect(messages.storeImportsHttp).toEqual([expect.stringMatching(/'store' may not import 'http'/)]);
  });

  it('refuses a sync file that imports express', () => {
    expect(messages.syncImportsExpress).toEqual([
      expect.stringMatching(/'sync' may not use the package 'express'/),
    ]);
  });

  it('refuses a page importing server code, or the contract as values', () => {
    expect(messages.pageImportsServer).toEqual([expect.stringMatching(/'web' may not import 'hector'/)]);
    expect(messages.pageImportsContractValues).toEqual([expect.stringMatching(/import type/)]);
  });

  it('accepts imports that point down: sync → store and hector, http → sync', () => {
    expect(messages.syncImportsDown).toEqual([]);
    expect(messages.httpImportsSync).toEqual([]);
  });
});
