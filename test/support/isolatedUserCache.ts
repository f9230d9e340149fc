/**
 * Loaded before the unit tests (.mocharc): what the CLI keeps in the user's cache folder (its code cache,
 * ShellCheck's results) goes to a folder of the test run's own, for the CLI run in the test process and for every
 * process the tests start.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-test-cache-'));
process.env.XDG_CACHE_HOME = dir;
process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
