import path from 'node:path';
import { type DataConverter, type PayloadCodec } from '@temporalio/common';
import { type Config } from '../config';
import { createDataConverter, createEncryptionCodec, ensureKeyFile, loadKeyring } from './codec';

type CodecConfig = Pick<
  Config,
  | 'sandboxMode'
  | 'DATA_DIR'
  | 'PAYLOAD_ENCRYPTION_KEYS'
  | 'PAYLOAD_ENCRYPTION_KEY_FILE'
  | 'PAYLOAD_ENCRYPTION_PRIMARY_KEY_ID'
>;

/**
 * The one payload codec of every process (API client, workers, codec server): they must share the keyring, or
 * one side cannot read what the other wrote. In sandbox mode a key file is created on first start.
 */
export function payloadCodecFromConfig(config: CodecConfig): PayloadCodec {
  let keyFile = config.PAYLOAD_ENCRYPTION_KEY_FILE;
  if (!config.PAYLOAD_ENCRYPTION_KEYS && config.sandboxMode) {
    keyFile = ensureKeyFile(keyFile ?? path.join(config.DATA_DIR, 'payload-keys'));
  }
  const keyring = loadKeyring({
    keys: config.PAYLOAD_ENCRYPTION_KEYS,
    keyFile,
    primaryKeyId: config.PAYLOAD_ENCRYPTION_PRIMARY_KEY_ID,
  });
  return createEncryptionCodec(keyring);
}

export function dataConverterFromConfig(config: CodecConfig): DataConverter {
  return createDataConverter(payloadCodecFromConfig(config));
}
