import { type DataConverter, type PayloadCodec } from '@temporalio/common';

/** Absolute path of the failure converter module; pass it to `bundleWorkflowCode` when pre-building bundles. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter for every Temporal client and worker (they must agree, or one side cannot read the
 * other's payloads): the encryption codec, and failure messages encoded so that it covers them too.
 */
export function createDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
