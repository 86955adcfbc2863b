import { Client, WorkflowFailedError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createDataConverter, createEncryptionCodec, parseKeyring } from '../../src/temporal/codec';
import { createLocalEnv, uniqueQueue } from '../helpers/temporal-env';
import { echoSecret, failWithSecret, type SecretInput } from './fixtures/secret-workflows';
import { keyB64 } from './keys';

const SECRET: SecretInput = {
  clientName: 'Alice Confidential',
  matterDescription: 'Merger of Acme into Widget',
};

describe('encrypted Temporal history (real dev server)', () => {
  let env: TestWorkflowEnvironment;
  const oldRing = parseKeyring(`old:${keyB64()}`);
  const newRing = parseKeyring(
    `new:${keyB64()},old:${Buffer.from(oldRing.keys.get('old')!).toString('base64')}`,
  );
  const dataConverter = createDataConverter(createEncryptionCodec(oldRing));

  beforeAll(async () => {
    env = await createLocalEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Raw history bytes as the server stores and returns them, read without any codec. */
  async function rawHistory(workflowId: string): Promise<string> {
    const plain = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
  }

  it('when workflows run with the codec, then the server holds no plaintext input, result or failure message; a rotated keyring still reads them', async () => {
    const taskQueue = uniqueQueue('codec');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      // workflowsPath (not a prebuilt bundle) so the failure converter module is bundled as the worker would.
      workflowsPath: require.resolve('./fixtures/secret-workflows'),
      dataConverter,
    });
    const client = new Client({ connection: env.connection, dataConverter });
    const echoId = `echo-${taskQueue}`;
    const failId = `fail-${taskQueue}`;
    await worker.runUntil(async () => {
      expect(
        await client.workflow.execute(echoSecret, { taskQueue, workflowId: echoId, args: [SECRET] }),
      ).toBe('Alice Confidential / Merger of Acme into Widget');
      const failed = await client.workflow
        .execute(failWithSecret, { taskQueue, workflowId: failId, args: [SECRET] })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(WorkflowFailedError);
      expect(((failed as WorkflowFailedError).cause as Error).message).toBe(
        'conflict found for Alice Confidential',
      );
    });

    for (const id of [echoId, failId]) {
      const raw = await rawHistory(id);
      for (const word of ['Alice', 'Acme', 'conflict found']) expect(raw).not.toContain(word);
      expect(raw).toContain('binary/encrypted');
    }

    // After rotation (new primary, old key kept) the finished run still decodes.
    const rotated = new Client({
      connection: env.connection,
      dataConverter: createDataConverter(createEncryptionCodec(newRing)),
    });
    expect(await rotated.workflow.getHandle(echoId).result()).toBe(
      'Alice Confidential / Merger of Acme into Widget',
    );
  });
});
