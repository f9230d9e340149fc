import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, screenshot, waitFor, workspaceRoot } from '../support';

const TEXT = [
  'FROM node:20-alpine AS Build',
  '# dockwise-ignore no-latest-tag',
  'FROM nginx',
  'RUN rm /etc/nginx/conf.d/default.conf',
  'RUN mkdir -p /usr/share/nginx/html',
  'COPY --from=build /app/dist /usr/share/nginx/html/',
  'USER root',
  'CMD nginx -g "daemon off;"',
  '',
].join('\n');

describe('Dockerfile rules in a real VS Code', () => {
  const file = () => path.join(workspaceRoot(), 'Dockerfile.rules');
  after(() => fs.rmSync(file(), { force: true }));

  it('shows the course rules, BuildKit checks and ignore comments with their ranges', async () => {
    await activateExtension();
    fs.writeFileSync(file(), TEXT);
    const uri = vscode.Uri.file(file());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const all = await waitFor('Dockerfile.rules diagnostics', () => {
      const ds = dockwiseDiagnostics(uri);
      return ds.some((d) => codeOf(d) === 'no-root-user') ? ds : undefined;
    });
    const one = (code: string) => {
      const ds = all.filter((d) => codeOf(d) === code);
      assert.equal(ds.length, 1, `${code}: ${JSON.stringify(all.map((d) => [codeOf(d), d.range.start.line]))}`);
      return ds[0];
    };
    const root = one('no-root-user');
    assert.deepEqual([root.range.start.line, root.range.start.character, root.range.end.character], [6, 5, 9]);
    assert.match(root.message, /DL3002/);
    assert.equal(one('chain-run').range.start.line, 4);
    assert.match(one('chain-run').message, /save 1 layer/);
    assert.equal(one('stage-name-casing').range.start.character, 23);
    assert.equal(one('json-args-recommended').range.start.line, 7);
    assert.equal(one('require-healthcheck').range.start.line, 2);
    assert.ok(!all.some((d) => codeOf(d) === 'no-latest-tag'), 'the dockwise-ignore comment hides no-latest-tag');
    await screenshot('dockerfile-rules');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
