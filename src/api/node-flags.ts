/**
 * V8 flags the API's own process starts with: `npm run api`, docker-compose's api service and `npm run bench`
 * (a test keeps the three in step). These work only from the command line: set later they crash V8, unlike the
 * one in v8-tuning.ts.
 *
 * `--single-threaded-gc`: the API's heap is small and its garbage short-lived, so a scavenge is quick on one
 * thread; in parallel it wakes helper threads that, on a host whose few cores are busy with the worker or
 * Chromium, wait for a core while the request waits for them. Measured with `npm run bench -- reads` on this
 * 2-core host, two API processes side by side in one run, ten runs with their start order swapped between them:
 * the p50 read ratio about 0.03 lower on average (from no difference to 0.06), and a lower p99 under 20 concurrent clients. `npm start`
 * (everything in one process) does not use it: the worker's long-lived workflow cache was not measured with it.
 */
export const API_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
