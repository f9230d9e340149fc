import { runShellcheck } from './src/diagnostics/shellcheck';
import { defaultConfig } from './src/diagnostics/config';
(async () => {
  const text = 'FROM debian:12\nARG VERSION=1\nRUN echo $VERSION $UNSET && \\\n\tcd /tmp && ls $HOME/*.txt\nRUN <<EOF\n  echo $foo\n  [ $x == 1 ]\nEOF\nSHELL ["pwsh", "-c"]\nRUN echo $a\n';
  const t0 = Date.now();
  const f = await runShellcheck({ text, config: defaultConfig() }, { onUnavailable: (m) => console.log('LOG', m) });
  console.log(Date.now() - t0, 'ms');
  for (const x of f) console.log(x.aliases[0], x.severity, JSON.stringify(x.range), JSON.stringify(text.split('\n')[x.range.start.line].slice(x.range.start.character, x.range.end.character)), x.message.slice(0, 60));
  const g = await runShellcheck({ text, config: defaultConfig() }, { binary: 'no-such-shellcheck', onUnavailable: (m) => console.log('LOG', m) });
  const h = await runShellcheck({ text, config: defaultConfig() }, { binary: 'no-such-shellcheck', onUnavailable: (m) => console.log('LOG2', m) });
  console.log(g.length, h.length);
})();
