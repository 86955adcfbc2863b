import { randomUUID } from 'node:crypto';
import { type SignInFlow } from './sign-in-flow';

interface Entry {
  flow: SignInFlow;
  tenant: string;
  timer: NodeJS.Timeout;
}

/**
 * Sign-ins waiting for an MFA code, kept open in this browser-worker process (the challenge is bound to that
 * browser context). One instance per worker process, built by its composition root. An entry closes itself
 * after `ttlMs`, so a session workflow that never comes back leaks no browser context.
 */
export class SignInChallenges {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = 30 * 60_000) {}

  add(tenant: string, flow: SignInFlow): string {
    const id = randomUUID();
    const timer = setTimeout(() => void this.close(id), this.ttlMs);
    timer.unref();
    this.entries.set(id, { flow, tenant, timer });
    return id;
  }

  get(id: string, tenant: string): SignInFlow | undefined {
    const entry = this.entries.get(id);
    return entry && entry.tenant === tenant ? entry.flow : undefined;
  }

  async close(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    await entry.flow.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }
}
