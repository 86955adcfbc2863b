import {
  CONTAINER_SEQUENCE,
  DOCUMENT_SEQUENCE,
  FIRST_DOCUMENT_NUMBER,
  SEED_DOCUMENTS,
  SEED_MATTERS,
  STANDARD_FOLDERS,
} from '../config';
import { type Db, DATA_TABLES, setCounter } from './db';
import { newDocumentProfile } from './document-profile';
import { createRng, type Rng } from './rng';
import { AUTHORS, EXTENSIONS, documentTitle, matterDescription, pad5 } from './seed-names';
import { clioFirm } from './clio-firm';

const DAY = 86_400_000;
const EPOCH = Date.UTC(2023, 0, 2, 9);
const ADMIN = { id: 'ADMIN', name: 'Sandbox Administrator' };

const at = (r: Rng, from: number, maxDays: number): number =>
  from + r.int(0, maxDays) * DAY + r.int(0, 8 * 3600) * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Seeded workspace numbers equal matter numbers; folders follow, five per workspace, in matter order. */
export const folderNumber = (matter: number, index: number): number =>
  SEED_MATTERS + (matter - 1) * STANDARD_FOLDERS.length + index + 1;

/**
 * Writes the deterministic seed into an emptied library: 500 clients, 1,000 matters each with a workspace and
 * standard folders, 5,000 documents with 1 to 3 versions. All values come from the seeded generator and fixed
 * dates, never from the clock, so the same seed gives the same dump.
 */
export function writeSeed(db: Db, seed: number): void {
  const r = createRng(seed);
  for (const t of DATA_TABLES) db.exec(`DELETE FROM ${t}`);
  const ins1 = db.prepare('INSERT INTO custom1 (alias, ssid, profile) VALUES (?, ?, ?)');
  const ins2 = db.prepare('INSERT INTO custom2 (parent_alias, alias, ssid, profile) VALUES (?, ?, ?, ?)');
  const insWs = db.prepare('INSERT INTO workspaces (number, custom1, custom2, profile) VALUES (?, ?, ?, ?)');
  const insF = db.prepare(
    'INSERT INTO folders (number, parent_number, workspace_number, profile) VALUES (?, ?, ?, ?)',
  );
  const insD = db.prepare(
    `INSERT INTO documents (number, version, folder_number, workspace_number, custom1, custom2, profile, content)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let ssid = 0;
  // The same firm as the Clio sandbox: one workspace per Clio matter, filed under its client (custom1 = the Clio
  // client's id, custom2 = the matter number), so a workflow finds a matter's workspace the way a firm's would.
  const firm = clioFirm(seed);
  for (const client of firm.clients) {
    ins1.run(client.alias, ++ssid, JSON.stringify({ description: client.name, enabled: true, hipaa: false }));
  }
  const matters: { custom: Record<string, string>; name: string; created: number }[] = [];
  for (let m = 1; m <= SEED_MATTERS; m++) {
    const source = firm.matters[m - 1]!;
    const desc = source.description || matterDescription(r);
    ins2.run(
      source.clientAlias,
      pad5(m),
      ++ssid,
      JSON.stringify({ description: desc, enabled: true, hipaa: false }),
    );
    const custom = {
      custom1: source.clientAlias,
      custom1_description: source.clientName,
      custom2: pad5(m),
      custom2_description: desc,
    };
    const created = at(r, EPOCH, 600);
    const name = `${source.clientName} - ${desc}`.slice(0, 254);
    matters.push({ custom, name, created });
    const common = { last_user: ADMIN.id, last_user_description: ADMIN.name, create_date: iso(created) };
    insWs.run(
      m,
      custom.custom1,
      custom.custom2,
      JSON.stringify({
        name,
        description: `Matter ${source.displayNumber} for client ${source.clientAlias}`,
        owner: ADMIN.id,
        owner_description: ADMIN.name,
        ...common,
        edit_date: iso(created),
        default_security: 'public',
        effective_security: 'full_access',
        subclass: '',
        is_external: false,
        is_external_as_normal: false,
        is_hipaa: false,
        ...custom,
      }),
    );
    STANDARD_FOLDERS.forEach((folder, i) => {
      insF.run(
        folderNumber(m, i),
        m,
        m,
        JSON.stringify({
          name: folder,
          description: '',
          owner: ADMIN.id,
          owner_description: ADMIN.name,
          ...common,
          edit_date: iso(created),
          default_security: 'inherit',
          inherited_default_security: 'public',
          folder_type: 'regular',
          view_type: 'document',
          workspace_name: name,
          is_external: false,
          ...custom,
        }),
      );
    });
  }
  for (let d = 0; d < SEED_DOCUMENTS; d++) {
    const number = FIRST_DOCUMENT_NUMBER + d;
    const m = r.int(1, SEED_MATTERS);
    const matter = matters[m - 1]!;
    const folder = folderNumber(m, r.int(0, STANDARD_FOLDERS.length - 1));
    const author = r.pick(AUTHORS);
    const extension = r.pick(EXTENSIONS);
    const name = `${documentTitle(r)} ${pad5(m)}`;
    const versions = r.int(1, 3);
    let when = at(r, matter.created, 120);
    for (let v = 1; v <= versions; v++) {
      const content = Buffer.from(`${name}\nDocument ${number}, version ${v}. Sandbox seed ${seed}.\n`);
      insD.run(
        number,
        v,
        folder,
        m,
        matter.custom.custom1,
        matter.custom.custom2,
        JSON.stringify({
          ...newDocumentProfile({
            name,
            extension,
            content,
            actor: author,
            at: iso(when),
            workspaceName: matter.name,
            comment: v === 1 ? '' : `Revision ${v}`,
          }),
          ...matter.custom,
        }),
        content,
      );
      when = at(r, when, 30);
    }
  }
  setCounter(db, CONTAINER_SEQUENCE, folderNumber(SEED_MATTERS, STANDARD_FOLDERS.length - 1));
  setCounter(db, DOCUMENT_SEQUENCE, FIRST_DOCUMENT_NUMBER + SEED_DOCUMENTS - 1);
  setCounter(db, 'alias_ssid', ssid);
}
