import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureDevCertificates } from '../emulator/certs';
import { runDemo } from './demo/run';

/**
 * `npm run demo [-- --activity]`: the whole product on one machine — the Graph emulator with its
 * sample tenant, the service over https on the embedded database in ./data/demo (DATA_DIR
 * overrides), the integration configured, ready-made meetings for the add-in harness.
 *
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, and the service's Graph and Entra ID
 * clients (global fetch, msal) must trust the development CA. So this launcher makes the
 * certificates, then runs the demo in a child process that trusts them, and relays signals.
 */
const CHILD = 'HECTOR_DEMO_CHILD';

function options() {
  const dataDir = path.resolve(process.env.DATA_DIR || path.join('data', 'demo'));
  return {
    dataDir,
    certDir: path.join(dataDir, 'certs'),
    activity: process.argv.includes('--activity'),
  };
}

async function launch(): Promise<void> {
  const { dataDir, certDir } = options();
  let tls = true;
  try {
    await ensureDevCertificates(certDir);
  } catch (error) {
    tls = false;
    process.stdout.write(
      `Could not create development certificates in ${certDir} (${error instanceof Error ? error.message : String(error)}): ` +
        'serving plain http on loopback instead. The API, harness and emulator work; real Graph and Outlook would need https.\n',
    );
  }
  const child = spawn(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      [CHILD]: tls ? 'https' : 'http',
      ...(tls ? { NODE_EXTRA_CA_CERTS: path.join(certDir, 'ca.crt') } : {}),
    },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  // Ctrl-C in a terminal reaches both processes; a signal sent to this one alone is relayed.
  // The demo stops once, however many signals arrive.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env[CHILD]) {
  const { dataDir, certDir, activity } = options();
  void runDemo({ dataDir, certDir, activity, tls: process.env[CHILD] === 'https' });
} else {
  launch().catch((error: unknown) => {
    process.stderr.write(`Demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
