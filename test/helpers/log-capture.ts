import { Writable } from 'node:stream';

/** A logger destination that keeps each line written, for tests that read what reached the output. */
export function captureLog(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}
