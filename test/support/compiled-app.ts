import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The application compiled to JavaScript in a directory of its own, so a test can run it as real child
 * processes (a worker it can SIGKILL) without depending on the state of `dist/`.
 */
export class CompiledApp {
  private constructor(readonly directory: string) {}

  static async build(): Promise<CompiledApp> {
    const directory = await mkdtemp(join(tmpdir(), 'ai-receive-app-'));
    const root = process.cwd();
    await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', directory],
      { cwd: root },
    ).catch((error: { stdout?: string }) => {
      // tsc emits even when the type check complains; only a missing entry point is fatal.
      if (!existsSync(join(directory, 'src/main.js'))) throw new Error(`The build failed: ${error.stdout ?? error}`);
    });
    await symlink(join(root, 'node_modules'), join(directory, 'node_modules'));
    await writeFile(join(directory, 'package.json'), JSON.stringify({ type: 'module' }));
    return new CompiledApp(directory);
  }

  /** Starts `node src/main.js` with the given environment (APP_ROLE=worker for a worker). */
  start(env: Record<string, string>): ChildProcess {
    return spawn(process.execPath, [join(this.directory, 'src/main.js')], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  async remove(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** Resolves with the signal (or exit code) the process ended with. */
export function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}
