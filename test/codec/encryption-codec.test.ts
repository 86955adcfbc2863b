import { inspect } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  createDataConverter,
  createEncryptionCodec,
  FAILURE_CONVERTER_PATH,
  parseKeyring,
  PayloadDecryptionError,
} from '../../src/temporal/codec';
import type * as FailureConverterExports from '../../src/temporal/codec/failure-converter';
import { keyB64 } from './keys';

const SECRET_INPUT = {
  clientName: 'Alice Confidential',
  matterDescription: 'Merger of Acme into Widget',
  password: 'hunter2',
};
type FailureConverterModule = typeof FailureConverterExports;
const text = (p: Payload) => Buffer.from(p.data ?? new Uint8Array()).toString('latin1');

describe('encryption codec', () => {
  const oldKey = `old:${keyB64()}`;
  const newKey = `new:${keyB64()}`;

  it('when a payload is encoded, then it is ciphertext with the key id in metadata and decodes back exactly', async () => {
    const codec = createEncryptionCodec(parseKeyring(oldKey));
    const plain = defaultPayloadConverter.toPayload(SECRET_INPUT);
    const [encrypted] = await codec.encode([plain]);
    expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted!.metadata!['encryption-key-id']!).toString()).toBe('old');
    for (const word of ['Alice', 'Acme', 'hunter2', 'json/plain'])
      expect(text(encrypted!)).not.toContain(word);
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET_INPUT);
    // Random IVs: the same value never encrypts to the same bytes twice.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(encrypted!.data!))).toBe(false);
  });

  it('when the keyring gains a new primary, then payloads under the old key still decode and new ones use the new key', async () => {
    const before = createEncryptionCodec(parseKeyring(oldKey));
    const [underOld] = await before.encode([defaultPayloadConverter.toPayload(SECRET_INPUT)]);
    const after = createEncryptionCodec(parseKeyring(`${newKey},${oldKey}`));
    expect(defaultPayloadConverter.fromPayload((await after.decode([underOld!]))[0]!)).toEqual(SECRET_INPUT);
    const [underNew] = await after.encode([defaultPayloadConverter.toPayload('x')]);
    expect(Buffer.from(underNew!.metadata!['encryption-key-id']!).toString()).toBe('new');
    // A process still on the old keyring cannot read the new payload: that is why all keys roll out first.
    await expect(before.decode([underNew!])).rejects.toThrow(/no key with id new/);
  });

  it('when the ciphertext or its key id is altered, then decoding fails instead of returning garbage', async () => {
    const codec = createEncryptionCodec(parseKeyring(`${newKey},${oldKey}`));
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(SECRET_INPUT)]);
    const flipped = new Uint8Array(encrypted!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    await expect(codec.decode([{ ...encrypted!, data: flipped }])).rejects.toBeInstanceOf(
      PayloadDecryptionError,
    );
    const relabelled = {
      ...encrypted!,
      metadata: { ...encrypted!.metadata, 'encryption-key-id': new Uint8Array(Buffer.from('old')) },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication/);
    await expect(codec.decode([{ ...encrypted!, data: new Uint8Array(5) }])).rejects.toThrow(/truncated/);
  });

  it('when a payload was never encrypted, then decode passes it through', async () => {
    const codec = createEncryptionCodec(parseKeyring(oldKey));
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('when inspected or serialized, then the codec shows no key material', () => {
    const material = keyB64();
    const codec = createEncryptionCodec(parseKeyring(`k:${material}`));
    expect(JSON.stringify(codec)).not.toContain(material.slice(0, 10));
    expect(inspect(codec, { depth: 5 })).not.toContain(material.slice(0, 10));
  });

  it('when building the data converter, then it carries the codec and a failure converter that encodes messages', async () => {
    const codec = createEncryptionCodec(parseKeyring(oldKey));
    const converter = createDataConverter(codec);
    expect(converter.payloadCodecs).toEqual([codec]);
    const { failureConverter } = (await import(FAILURE_CONVERTER_PATH)) as FailureConverterModule;
    const failure = failureConverter.errorToFailure(
      new Error('Matter for Alice Confidential exists'),
      defaultPayloadConverter,
    );
    expect(failure.message).not.toContain('Alice');
    expect(failure.encodedAttributes).toBeDefined();
  });
});
