import { createServer, type AddressInfo } from 'node:net';

export interface PortNeed {
  port: number;
  host: string;
  /** What will listen there, and the variable that moves it: shown when the port is taken. */
  what: string;
  variable: string;
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first taken port, as one sentence a person can act on; undefined when all are free. */
export async function firstTakenPort(needs: PortNeed[]): Promise<string | undefined> {
  for (const need of needs) {
    if (!(await isFree(need.host, need.port))) {
      return `Port ${need.port} on ${need.host} (${need.what}) is already in use; stop what uses it or set ${need.variable}.`;
    }
  }
  return undefined;
}

/** A port on 127.0.0.1 that nothing listens on right now (for servers that must be told their port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
