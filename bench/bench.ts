/**
 * `npm run bench`: every suite in one run, so ratios between Dockwise and its peers come from the same machine state.
 * `npm run bench -- NAME` runs only the suites whose name contains NAME.
 */
import { dockerfileSuite } from './dockerfile.bench';
import { explorerSuite } from './explorer.bench';
import { fixesSuite } from './fixes.bench';
import { composeSuite } from './compose.bench';
import { formatTable, Suite } from './harness';
import { shellSuite } from './shell.bench';

const suites: Suite[] = [
  // Suites register here, in the order they run.
  composeSuite,
  dockerfileSuite,
  explorerSuite,
  shellSuite,
  fixesSuite,
];

async function main() {
  const only = process.argv[2];
  const chosen = suites.filter((s) => !only || s.name.includes(only));
  console.log(`# Dockwise benchmarks\n\nnode ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}\n`);
  for (const s of chosen) {
    console.log(`## ${s.name}\n`);
    for (const t of await s.run()) console.log(formatTable(t));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
