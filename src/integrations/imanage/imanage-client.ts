import { type z } from 'zod';
import { parseDocumentId } from './document-id';
import { IManageApiError } from './errors';
import { type IManageHttpClient, type IManageQuery } from './http-client';
import {
  aliasSchema,
  documentSchema,
  folderSchema,
  listEnvelope,
  showEnvelope,
  workspaceSchema,
} from './schemas';
import {
  type CustomAlias,
  type CustomFields,
  type Folder,
  type IManageDocument,
  type NewWorkspace,
  type OffsetPage,
  type Workspace,
} from './types';

export interface PageOptions {
  offset?: number;
  limit?: number;
}

/**
 * The iManage Work operations the workflows need: client/matter aliases (custom1/custom2), workspaces,
 * folders and documents. Every answer is parsed (zod) into the types in types.ts.
 */
export class IManageClient {
  constructor(private readonly http: IManageHttpClient) {}

  /** A custom1 (client) alias, or undefined when iManage has none (404). */
  getCustom1(id: string): Promise<CustomAlias | undefined> {
    return orUndefined(this.show(`customs/custom1/${encodeURIComponent(id)}`, aliasSchema));
  }

  createCustom1(alias: { id: string; description?: string }): Promise<CustomAlias> {
    return this.show('customs/custom1', aliasSchema, 'POST', { ...alias, enabled: true });
  }

  /** A custom2 (matter) alias is unique only under its custom1 parent. */
  getCustom2(id: string, parentId: string): Promise<CustomAlias | undefined> {
    return orUndefined(
      this.show(`customs/custom2/${encodeURIComponent(id)}`, aliasSchema, 'GET', undefined, {
        parent_alias: parentId,
      }),
    );
  }

  createCustom2(alias: { id: string; description?: string; parentId: string }): Promise<CustomAlias> {
    return this.show('customs/custom2', aliasSchema, 'POST', {
      id: alias.id,
      description: alias.description,
      enabled: true,
      parent: { id: alias.parentId },
    });
  }

  createWorkspace(ws: NewWorkspace): Promise<Workspace> {
    return this.show('workspaces', workspaceSchema, 'POST', {
      name: ws.name,
      description: ws.description,
      owner: ws.owner,
      default_security: ws.defaultSecurity,
      template: ws.template,
      ...ws.customs,
    });
  }

  getWorkspace(id: string): Promise<Workspace> {
    return this.show(`workspaces/${encodeURIComponent(id)}`, workspaceSchema);
  }

  /** Exact, case-insensitive matches on custom fields (`{custom1: '00001', custom2: '00002'}`) and other filters. */
  searchWorkspaces(
    filters: CustomFields & { name?: string },
    page: PageOptions = {},
  ): Promise<OffsetPage<Workspace>> {
    return this.list('workspaces', workspaceSchema, filters, page);
  }

  /** Every workspace of a client-matter pair (iManage allows duplicates; the caller decides what one means). */
  async findWorkspaces(custom1: string, custom2: string): Promise<Workspace[]> {
    const found: Workspace[] = [];
    for await (const ws of this.all((p) => this.searchWorkspaces({ custom1, custom2 }, p))) found.push(ws);
    return found;
  }

  /**
   * The folders directly in a workspace or folder, through the documented folder search (`folders?container_id=`);
   * a `children` listing is not in iManage's documented API and answers other object kinds too.
   */
  listFolders(containerId: string, page: PageOptions = {}): Promise<OffsetPage<Folder>> {
    return this.list('folders', folderSchema, { container_id: containerId }, page);
  }

  /** Folders of this name directly in a container: how a retried create-folder step finds an earlier attempt's. */
  async findFolders(containerId: string, name: string): Promise<Folder[]> {
    if (!name) throw new Error('findFolders needs a name: an empty one would match every folder');
    const found: Folder[] = [];
    for await (const f of this.all((p) =>
      this.list('folders', folderSchema, { container_id: containerId, name }, p),
    ))
      if (f.name === name) found.push(f);
    return found;
  }

  getFolder(id: string): Promise<Folder> {
    return this.show(`folders/${encodeURIComponent(id)}`, folderSchema);
  }

  /** A folder directly under a workspace (`parent.kind = 'workspace'`) or under another folder. */
  createFolder(
    parent: { kind: 'workspace' | 'folder'; id: string },
    folder: { name: string; description?: string },
  ): Promise<Folder> {
    const base = parent.kind === 'workspace' ? 'workspaces' : 'folders';
    return this.show(`${base}/${encodeURIComponent(parent.id)}/folders`, folderSchema, 'POST', folder);
  }

  /** `LIB!n.v` for that version, `LIB!n` for the latest; the library must be this client's. */
  async getDocument(id: string): Promise<IManageDocument> {
    const ref = parseDocumentId(id);
    if (ref.library.toUpperCase() !== this.http.library.toUpperCase()) {
      throw new IManageApiError(
        `Document ${id} is not in library ${this.http.library}`,
        undefined,
        'WRONG_LIBRARY',
        false,
      );
    }
    return this.show(`documents/${encodeURIComponent(id)}`, documentSchema);
  }

  /** Latest versions only; filters as iManage names them (`custom1`, `container_id`, `name`, `author`, ...). */
  searchDocuments(filters: IManageQuery, page: PageOptions = {}): Promise<OffsetPage<IManageDocument>> {
    return this.list('documents', documentSchema, filters, page);
  }

  /** Every item of an offset-paged list, page after page. */
  async *all<T>(fetchPage: (page: PageOptions) => Promise<OffsetPage<T>>, limit = 500): AsyncGenerator<T> {
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: OffsetPage<T> = await fetchPage({ offset, limit });
      yield* page.data;
      offset = page.nextOffset;
    }
  }

  private async show<T>(
    path: string,
    schema: z.ZodType<T>,
    method = 'GET',
    body?: unknown,
    query?: IManageQuery,
  ): Promise<T> {
    const raw = await this.http.request<unknown>(method, path, { body, query });
    return parse(showEnvelope(schema), raw, path).data;
  }

  private async list<T>(
    path: string,
    schema: z.ZodType<T>,
    filters: IManageQuery,
    page: PageOptions,
  ): Promise<OffsetPage<T>> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 100;
    const raw = await this.http.request<unknown>('GET', path, {
      query: { ...filters, offset, limit, total: true },
    });
    const env = parse(listEnvelope(schema), raw, path);
    const data = env.data.results;
    const total = env.total_count;
    // With a total, stop exactly. Without one, only an empty page ends the list: a server may cap its pages below
    // the limit asked for, and a short page taken for the last would miss records (a workspace, then created twice).
    const more = total !== undefined ? offset + data.length < total : data.length > 0;
    return { data, total, nextOffset: more && data.length > 0 ? offset + data.length : undefined };
  }
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, path: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const where = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new IManageApiError(
    `iManage's answer from ${path} has an unexpected shape: ${where.join('; ')}`,
    undefined,
    'BadResponse',
    false,
  );
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof IManageApiError && err.status === 404) return undefined;
    throw err;
  }
}
