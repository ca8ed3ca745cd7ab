/**
 * `npm run demo`: a narrated tour of Handoff in sandbox mode, for a newcomer, in under a minute. It starts the
 * real service in a child process (own temporary directory, free ports, simulators for HubSpot and Salesforce),
 * plays a marketer, a sales rep and the clock against it, and checks that every step really happened: exit
 * code 0 when all did, 1 naming the step that did not, 130 on Ctrl-C. It always stops the service and removes
 * its temporary directory.
 */
import { fileURLToPath } from 'node:url';
import { DemoSession, EXIT } from './demo/demo-session.ts';
import { Narrator } from './demo/narrator.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USAGE = 'usage: npm run demo   (no options; set NO_COLOR=1 for plain output on a terminal)\n';

async function main(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    process.stdout.write(USAGE);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const narrator = new Narrator(process.stdout, { noColor: Boolean(process.env.NO_COLOR) });
  narrator.title('Handoff demo: a marketing-to-sales handoff, start to finish, in sandbox mode');
  const session = new DemoSession({ root: ROOT, narrator });
  let signalled = false;
  const onSignal = () => {
    if (signalled) {
      session.kill();
      return;
    }
    signalled = true;
    narrator.blank();
    narrator.failure('Interrupted: stopping the service and removing the temporary directory (Ctrl-C again to kill it now)…');
    void session.interrupt().finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await session.run();
  narrator.say(`Finished in ${narrator.elapsedSeconds().toFixed(1)} s wall-clock.`);
  return code;
}

process.exitCode = await main(process.argv.slice(2));
