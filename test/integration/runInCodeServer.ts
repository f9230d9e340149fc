/**
 * Runs the integration suite inside a real VS Code: code-server from node_modules, driven by Debian's Chromium through
 * playwright-core, with the extension under development loaded from this repository and a Docker daemon of its own.
 *
 *   node dist-test/runIntegration.js     (after `node esbuild.mjs --tests`)
 *
 * Writes .test-output/integration-results.json and screenshots under .test-output/screenshots/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { loadStandIns } from '../support/standIns';
import { startTestDaemon } from '../support/testDaemon';
import { startCodeServer } from './codeServer';

const repo = path.resolve(__dirname, '..');
const output = path.join(repo, '.test-output');
const screenshots = path.join(output, 'screenshots');
const requests = path.join(output, 'screenshot-requests');
const domRequests = path.join(output, 'dom-requests');
const SUITE_TIMEOUT_MS = 25 * 60_000;
const CHROMIUM = process.env.DOCKWISE_CHROMIUM ?? '/usr/bin/chromium';

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

async function main(): Promise<number> {
  for (const stale of [screenshots, requests, domRequests, path.join(output, 'integration-results.json')]) fs.rmSync(stale, { recursive: true, force: true });
  fs.mkdirSync(screenshots, { recursive: true });
  fs.mkdirSync(requests, { recursive: true });
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwi-'));
  const workspace = path.join(root, 'workspace');
  copyDir(path.join(repo, 'test', 'fixtures', 'workspace'), workspace);
  copyDir(path.join(repo, 'samples', 'todo-app'), path.join(workspace, 'todo-app'));

  console.log('Starting a Docker daemon for the tests...');
  // Its own network namespace, so the course's commands (published ports, user-defined networks) work as written.
  const daemon = await startTestDaemon({ network: true, storageDriver: 'overlay2' });
  console.log(`Docker daemon up at ${daemon.host} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await loadStandIns(daemon.docker, { log: (line) => console.log(line) });

  let codeServer: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  let watcher: NodeJS.Timeout | undefined;
  try {
    codeServer = await startCodeServer({
      repo,
      root,
      workspace,
      env: {
        ...process.env,
        DOCKER_HOST: daemon.host,
        DOCKWISE_TEST_DAEMON_ROOT: daemon.root,
        DOCKWISE_TEST_OUTPUT: output,
        DOCKWISE_TEST_HOST: 'code-server',
      },
    });
    console.log(`code-server up on port ${codeServer.port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let finish!: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (type === 'error') console.error(text);
      else console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (e) => console.error(`[workbench] ${e.message}`));

    // Tests ask for screenshots by dropping a file named for the picture; the browser is on this side.
    let busy = false;
    watcher = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        for (const name of fs.readdirSync(requests)) {
          await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
          fs.rmSync(path.join(requests, name), { force: true });
        }
        // Tests ask what the workbench shows (a walkthrough step's tick, say) the same way: support.ts queryWorkbench.
        for (const name of fs.existsSync(domRequests) ? fs.readdirSync(domRequests).filter((f) => f.endsWith('.json')) : []) {
          const file = path.join(domRequests, name);
          const { selector, attributes } = JSON.parse(fs.readFileSync(file, 'utf8')) as { selector: string; attributes: string[] };
          const found = await page.$$eval(selector, (els, attrs) => els.map((e) => ({ text: e.textContent ?? '', attrs: Object.fromEntries(attrs.map((a) => [a, e.getAttribute(a)])) })), attributes).catch((e: Error) => ({ error: e.message }));
          fs.writeFileSync(path.join(domRequests, name.replace(/\.json$/, '.result')), JSON.stringify(found));
          fs.rmSync(file, { force: true });
        }
      } catch (e) {
        console.error(`screenshot failed: ${(e as Error).message}`);
      } finally {
        busy = false;
      }
    }, 100);

    const url = codeServer.url(workspace, repo, path.join(repo, 'dist-test', 'suite', 'index.js'));
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`The integration suite did not finish within ${SUITE_TIMEOUT_MS / 60000} minutes.`);
        resolve(1);
      }, SUITE_TIMEOUT_MS).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    await page.screenshot({ path: path.join(screenshots, 'final.png') }).catch(() => undefined);
    console.log(`Integration suite finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    if (watcher) clearInterval(watcher);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop().catch(() => undefined);
    await daemon.stop().catch((e: Error) => console.error(`stopping the test daemon: ${e.message}`));
    if (fs.existsSync(path.join(root, 'code-server.log'))) fs.copyFileSync(path.join(root, 'code-server.log'), path.join(output, 'code-server.log'));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
