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
const actions = path.join(output, 'workbench-actions');
const SUITE_TIMEOUT_MS = 25 * 60_000;
const CHROMIUM = process.env.DOCKWISE_CHROMIUM ?? '/usr/bin/chromium';

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

async function main(): Promise<number> {
  for (const stale of [screenshots, requests, actions, path.join(output, 'integration-results.json')]) fs.rmSync(stale, { recursive: true, force: true });
  fs.mkdirSync(screenshots, { recursive: true });
  fs.mkdirSync(requests, { recursive: true });
  fs.mkdirSync(actions, { recursive: true });
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
        for (const name of fs.readdirSync(actions).filter((n) => n.endsWith('.json'))) {
          const file = path.join(actions, name);
          const result = await workbenchAction(page, JSON.parse(fs.readFileSync(file, 'utf8'))).catch((e: Error) => ({ error: e.message }));
          // Whole or not at all: the test reads the answer as soon as its name appears.
          const done = file.replace(/\.json$/, '.done');
          fs.writeFileSync(`${done}.tmp`, JSON.stringify(result ?? {}));
          fs.renameSync(`${done}.tmp`, done);
          fs.rmSync(file, { force: true });
        }
      } catch (e) {
        console.error(`screenshot failed: ${(e as Error).message}`);
      } finally {
        busy = false;
      }
    }, 100);

    // DOCKWISE_TEST_EXTENSION: an unpacked .vsix (its extension/ folder), to test the build users install.
    const url = codeServer.url(workspace, process.env.DOCKWISE_TEST_EXTENSION ?? repo, path.join(repo, 'dist-test', 'suite', 'index.js'));
    // On a busy machine (2 cores shared by parallel runs) the workbench can take well over playwright's default 30 s.
    await page.goto(url, { timeout: 180_000 });
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

/**
 * What a test inside the extension host asks of the workbench page: what a user's mouse and keyboard would do, or
 * what the page shows. Selectors are looked up in every frame, webviews included.
 */
type WorkbenchAction =
  | { action: 'click' | 'hover'; selector: string; text?: string }
  | { action: 'press'; key: string }
  | { action: 'query'; selector: string; attributes?: string[] };

async function workbenchAction(page: import('playwright-core').Page, a: WorkbenchAction): Promise<unknown> {
  switch (a.action) {
    case 'click':
    case 'hover': {
      const deadline = Date.now() + 10_000;
      for (;;) {
        for (const frame of page.frames()) {
          let target = frame.locator(a.selector);
          if (a.text) target = target.filter({ hasText: a.text });
          if ((await target.count().catch(() => 0)) > 0) {
            await target.first()[a.action]({ timeout: 5_000 });
            return {};
          }
        }
        if (Date.now() > deadline) throw new Error(`nothing matches ${a.selector}${a.text ? ` with "${a.text}"` : ''}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    case 'press':
      await page.keyboard.press(a.key);
      return {};
    case 'query': {
      const matches: { text: string; href?: string; dataHref?: string; attrs: Record<string, string | null> }[] = [];
      for (const frame of page.frames()) {
        const found = await frame
          .$$eval(
            a.selector,
            (els, attrs) =>
              els.map((e) => ({
                text: e.textContent ?? '',
                href: e.getAttribute('href') ?? undefined,
                dataHref: e.getAttribute('data-href') ?? undefined,
                attrs: Object.fromEntries(attrs.map((n) => [n, e.getAttribute(n)])),
              })),
            a.attributes ?? [],
          )
          .catch(() => []);
        matches.push(...found);
      }
      return { matches };
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
