import Dockerode from 'dockerode';
import * as vscode from 'vscode';

/** `dockwise.daemon.listImages`: the local images by reference, offered for copying. Returns the references. */
export async function listImages(docker: Dockerode, log: vscode.LogOutputChannel): Promise<string[]> {
  try {
    const images = await docker.listImages();
    const refs = images
      .flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'))
      .sort();
    log.info(`Images on the daemon: ${refs.length ? refs.join(', ') : 'none'}`);
    void vscode.window.showQuickPick(refs, { placeHolder: `${refs.length} images — pick one to copy its reference` }).then((ref) => {
      if (ref) void vscode.env.clipboard.writeText(ref);
    });
    return refs;
  } catch (e) {
    const message = `Dockwise could not reach the Docker daemon: ${(e as Error).message}`;
    log.warn(message);
    void vscode.window.showWarningMessage(message);
    return [];
  }
}
