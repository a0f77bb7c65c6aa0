import { DEFAULT_TIMINGS, loadConfig } from '../../server/config';
import { startService } from '../../server/main';

/**
 * One service instance of a multi-instance run (the chaos run, the tenant bench), in its own
 * process so it can be SIGKILLed: the real service from the environment, with the looks at the
 * rooms' answers shortened as the tests do (production waits up to 5 minutes for a late room, a
 * run this short cannot). SIGTERM stops it cleanly; SIGKILL is what the chaos run sends.
 */
async function main(): Promise<void> {
  const config = {
    ...loadConfig(process.env),
    timings: { ...DEFAULT_TIMINGS, roomAnswerCheckLadderMs: [1000, 3000, 6000, 12_000] },
  };
  const service = await startService(config);
  process.stdout.write(`instance ready ${service.url}\n`);
  const stop = (): void => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`instance failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
