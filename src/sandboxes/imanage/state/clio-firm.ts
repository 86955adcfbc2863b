import { seedFor } from '../../clio/seed/apply-seed';
import { pad5 } from './seed-names';

export interface FirmMatter {
  /** Clio matter number n ↔ workspace n, custom2 = pad5(n). */
  displayNumber: string;
  description: string;
  clientAlias: string;
  clientName: string;
}

interface ClioDoc {
  id?: number;
  number?: number;
  display_number?: string;
  description?: string;
  name?: string;
  client?: { id?: number } | null;
}

/**
 * The Clio sandbox's seeded firm (same seed number), read from its generator: matters in number order and their
 * clients. Both sandboxes then describe one firm, as a firm's Clio and iManage do.
 */
export function clioFirm(seed: number): {
  matters: FirmMatter[];
  clients: { alias: string; name: string }[];
} {
  const data = seedFor(seed);
  const contacts = new Map<number, string>();
  for (const c of (data.records.contacts ?? []) as ClioDoc[]) {
    if (c.id !== undefined) contacts.set(c.id, c.name ?? `Client ${c.id}`);
  }
  const matters = ((data.records.matters ?? []) as ClioDoc[])
    .filter((m) => m.number !== undefined)
    .sort((a, b) => a.number! - b.number!)
    .map((m) => {
      const clientId = m.client?.id;
      return {
        displayNumber: m.display_number ?? pad5(m.number!),
        description: m.description ?? '',
        clientAlias: clientId !== undefined ? String(clientId) : 'UNASSIGNED',
        clientName: clientId !== undefined ? (contacts.get(clientId) ?? `Client ${clientId}`) : 'Unassigned',
      };
    });
  const clients = new Map<string, string>();
  for (const m of matters) clients.set(m.clientAlias, m.clientName);
  return { matters, clients: [...clients].map(([alias, name]) => ({ alias, name })) };
}
