import { type Knex } from 'knex';

const TABLE = 'oauth_states_used';

/** The OAuth states the callback has accepted, until they expire: each is good for one callback. */
export function createOAuthStateLedger(knex: Knex) {
  return {
    /** True the first time `nonce` is presented; false ever after, until it expires and is pruned. */
    async consume(nonce: string, expiresAt: number): Promise<boolean> {
      const inserted = await knex(TABLE)
        .insert({ nonce, expires_at: new Date(expiresAt) })
        .onConflict('nonce')
        .ignore()
        .returning('nonce');
      return inserted.length > 0;
    },
    /** Forgets states expired before `now`: an expired state is refused by its own signed expiry anyway. */
    async prune(now: Date): Promise<number> {
      return knex(TABLE).where('expires_at', '<', now).delete();
    },
  };
}

export type OAuthStateLedger = ReturnType<typeof createOAuthStateLedger>;
