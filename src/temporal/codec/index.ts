export {
  createEncryptionCodec,
  ENCODING,
  METADATA_ENCRYPTION_KEY_ID,
  PayloadDecryptionError,
} from './encryption-codec';
export {
  parseKeyring,
  loadKeyring,
  generateKeySpec,
  ensureKeyFile,
  KeyringError,
  type Keyring,
  type KeyringSource,
} from './keyring';
export { createCodecRouter, type CodecRouterOptions } from './codec-router';
export { createDataConverter, FAILURE_CONVERTER_PATH } from './data-converter';
