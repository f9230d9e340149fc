/**
 * The integration suite's entry, loaded by VS Code's extension host (code-server or desktop VS Code through
 * @vscode/test-electron). Runs every `*.test.js` beside it with mocha and writes the counts where the runner reads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.DOCKWISE_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const results = { passed: 0, failed: 0, failures: [] as { title: string; error: string }[] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test, err: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
  const out = process.env.DOCKWISE_TEST_OUTPUT;
  if (out) fs.writeFileSync(path.join(out, 'integration-results.json'), JSON.stringify(results, null, 2));
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}

/** Activation first: it proves the extension starts before anything leans on it; tests that stop the daemon last. */
function order(file: string): number {
  if (file.startsWith('activation')) return 0;
  if (file.startsWith('daemonLifecycle')) return 9;
  return 5;
}
