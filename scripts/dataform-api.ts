/**
 * `npm run dataform-api`: the local Dataform API stand-in in the foreground on 127.0.0.1 (emulator/dataform-api), running
 * this repository's Dataform project with the real dataform CLI against a running BigQuery emulator.
 */
import { DEFAULT_REPOSITORY, STAND_IN_NOTICE } from '../emulator/dataform-api/index.ts';
import { positiveInt, runCommand } from '../src/cli/command.ts';
import { startLocalDataformApi } from '../src/runner/executors/local-dataform-api.ts';
import { UsageError } from '../src/runner/exit-codes.ts';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';
import { localTarget, localProjectId } from '../src/warehouse/target.ts';

await runCommand({
  name: 'dataform-api',
  usage: `Usage: npm run dataform-api -- [--port 9060] [--repository ${DEFAULT_REPOSITORY}]

Serves the ${STAND_IN_NOTICE}.
It is a stand-in, not an emulator of Google's Dataform service: the fields it implements are listed in
emulator/dataform-api/index.ts and docs/local-stack.md; anything else answers 501.
Needs BIGQUERY_EMULATOR_HOST (npm run emulator). Then: export DATAFORM_EMULATOR_HOST=<the printed url> and run
  npm run grade -- --executor dataform-api --date YYYY-MM-DD
  --port N           port on 127.0.0.1 (default 9060; 0 = any free port)
  --repository NAME  the repository served (default ${DEFAULT_REPOSITORY})`,
  options: { port: { type: 'string' }, repository: { type: 'string' } },
  async run({ values, log }) {
    const emulatorUrl = process.env.BIGQUERY_EMULATOR_HOST;
    if (!emulatorUrl) throw new UsageError('BIGQUERY_EMULATOR_HOST is not set: start the BigQuery emulator first (npm run emulator)');
    const port = values.port === '0' ? 0 : positiveInt('--port', values.port, 9060, 65_535);
    const api = await startLocalDataformApi({
      port,
      repository: values.repository,
      projectDir: repoRoot,
      bigquery: localTarget({ projectId: process.env.GOOGLE_CLOUD_PROJECT ?? localProjectId(), emulatorUrl }),
    });
    log.log('NOTICE', `${STAND_IN_NOTICE}: listening on ${api.url}, repository ${api.repository}`, { event: 'dataform_stand_in_started', url: api.url, repository: api.repository });
    process.stdout.write(`export DATAFORM_EMULATOR_HOST=${api.url}\nexport GRADEGUARD_DATAFORM_REPOSITORY=${api.repository}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await api.stop();
    return 0;
  },
});
