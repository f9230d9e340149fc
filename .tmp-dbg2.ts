import { loadShellParser, parseShell } from './src/diagnostics/dockerfile/shell/parser';
import { analyseScript } from './src/diagnostics/dockerfile/shell/script';
(async () => {
  console.log(await loadShellParser());
  try { console.log(JSON.stringify(analyseScript('top && (cd x && make)'))); } catch (e) { console.log('ERR', e); }
})();
