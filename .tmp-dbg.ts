import { lintAsync } from './src/diagnostics/engine';
(async () => {
  const f = await lintAsync({ text: process.argv[2].replace(/\\n/g, '\n'), kind: 'dockerfile' });
  for (const x of f) console.log(x.code, x.aliases.join(','), x.severity, JSON.stringify(x.range), x.message.slice(0, 100));
})();
