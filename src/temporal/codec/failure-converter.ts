import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath), in the workflow bundle too. Moves failure messages and
 * stack traces into an encoded payload, so the codec encrypts them: an error text often names a client or a
 * matter, and the Temporal server would otherwise store it in clear.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
