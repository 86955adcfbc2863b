import type { Logger } from 'pino';
import { applySeed } from '../seed/apply-seed';
import type { FirmSettings } from '../seed/generate-seed';
import type { Db } from './db';
import { DEFAULT_FAULTS, type Faults } from './faults';
import type { Doc, RecordStore } from './record-store';
import { RequestStats } from './request-stats';

export type ChangeEvent = 'created' | 'updated' | 'deleted';
export type ChangeListener = (collection: string, event: ChangeEvent, doc: Doc, previous?: Doc) => void;

/**
 * Everything a router needs, built once per sandbox and handed to each router factory, so new
 * routers (portal, Grow) work on the same store and controls without globals.
 */
export class SandboxState {
  readonly stats = new RequestStats();
  private faults: Faults = { ...DEFAULT_FAULTS };
  private readonly resetHooks: (() => void)[] = [];
  private readonly changeListeners: ChangeListener[] = [];
  private cachedSettings: FirmSettings | undefined;

  constructor(
    readonly db: Db,
    readonly store: RecordStore,
    readonly seed: number,
    readonly logger: Logger,
  ) {}

  getFaults(): Faults {
    return { ...this.faults };
  }

  mergeFaults(patch: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...patch };
    return this.getFaults();
  }

  settings(): FirmSettings {
    this.cachedSettings ??= JSON.parse(this.store.getMeta('settings') ?? '{}') as FirmSettings;
    return this.cachedSettings;
  }

  /** Routers register what they keep outside the store (rate windows, timers) to clear on reset. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Webhooks and other observers hear about committed writes. */
  onChange(listener: ChangeListener): void {
    this.changeListeners.push(listener);
  }

  emitChange(collection: string, event: ChangeEvent, doc: Doc, previous?: Doc): void {
    for (const listener of this.changeListeners) {
      try {
        listener(collection, event, doc, previous);
      } catch (err) {
        this.logger.warn({ err, collection, event }, 'clio sandbox: change listener failed');
      }
    }
  }

  /** Back to the seeded firm: records, faults, stats and every registered router's own state. */
  reset(): void {
    applySeed(this.store, this.seed);
    this.cachedSettings = undefined;
    this.faults = { ...DEFAULT_FAULTS };
    this.stats.reset();
    for (const hook of this.resetHooks) hook();
  }
}
