/**
 * The same integration suite under desktop VS Code, for machines that can download it:
 *
 *   node esbuild.mjs --tests && node dist-test/runElectron.js
 *
 * Starts the same private Docker daemon as the code-server runner and points the extension host at it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { loadStandIns } from '../support/standIns';
import { startTestDaemon } from '../support/testDaemon';

async function main(): Promise<number> {
  const repo = path.resolve(__dirname, '..');
  const output = path.join(repo, '.test-output');
  fs.mkdirSync(output, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwe-'));
  const workspace = path.join(root, 'workspace');
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.cpSync(path.join(repo, 'samples', 'todo-app'), path.join(workspace, 'todo-app'), { recursive: true });
  const daemon = await startTestDaemon({ network: true, storageDriver: 'overlay2' });
  try {
    await loadStandIns(daemon.docker, { log: (line) => console.log(line) });
    await runTests({
      version: process.env.DOCKWISE_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'dist-test', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions'],
      extensionTestsEnv: {
        DOCKER_HOST: daemon.host,
        DOCKWISE_TEST_DAEMON_ROOT: daemon.root,
        DOCKWISE_TEST_OUTPUT: output,
        DOCKWISE_TEST_HOST: 'electron',
      },
    });
    return 0;
  } catch (e) {
    console.error(e);
    return 1;
  } finally {
    await daemon.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
