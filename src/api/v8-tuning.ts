import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by the API's entry points, before any module allocates. With @temporalio/client's protobuf
 * root in the heap, V8's allocation-site pretenuring starts placing each read's short-lived records (Clio's JSON,
 * their zod-normalized copies) straight into the old generation: every scavenge then takes 5–7 ms instead of
 * ~0.6 ms and the old generation fills until a full mark-compact. Without pretenuring the API spends about 15 %
 * less CPU per `GET /v1/matters?limit=50` (`npm run bench -- reads`, "CPU per read": 2.37 against 2.73 ms).
 * The workers are not tuned this way: their workflow caches are long-lived by design, and it was not measured.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
