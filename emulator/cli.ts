/**
 * `node dist/emulator/cli.js --port 4000 [--http] [--host 127.0.0.1] [--tenant sample|empty]
 * [--cert-dir data/certs]`: prints the Graph base URL and the authority URL, stops on SIGINT/SIGTERM.
 */
import { startEmulator } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: Number(arg('port') ?? 4000),
    host: arg('host'),
    tls: !process.argv.includes('--http'),
    certDir: arg('cert-dir'),
    // --seed is the older name of --tenant.
    tenant: (arg('tenant') ?? arg('seed')) === 'empty' ? 'empty' : 'sample',
  });
  const lines = [
    `Graph emulator ready`,
    `  Graph base URL : ${emulator.graphUrl}`,
    `  Authority URL  : ${emulator.authorityUrl}/${emulator.tenantId}`,
    `  Tenant id      : ${emulator.tenantId}`,
    `  Client id      : ${emulator.control.clientId} (secret: ${emulator.control.clientSecret})`,
    `  Control API    : ${emulator.url}/_emulator/state`,
  ];
  if (emulator.caCert)
    lines.push(
      `  CA certificate : ${arg('cert-dir') ?? 'data/certs'}/ca.crt (trust it, e.g. NODE_EXTRA_CA_CERTS)`,
    );
  process.stdout.write(lines.join('\n') + '\n');
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Emulator failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
