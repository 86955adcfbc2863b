/** iManage records as the service uses them; custom fields keep iManage's names (custom1 = client, ...). */
export type CustomFields = Partial<Record<`custom${number}`, string | number | boolean>>;

export interface CustomAlias {
  id: string;
  description?: string;
  enabled?: boolean;
  /** For custom2: the custom1 alias it belongs to. */
  parentId?: string;
}

export interface Workspace {
  id: string;
  name: string;
  description?: string;
  documentNumber?: number;
  owner?: string;
  defaultSecurity?: string;
  custom1?: string;
  custom2?: string;
  customs: CustomFields;
  iwl?: string;
  url?: string;
  createdAt?: string;
  editedAt?: string;
}

export interface Folder {
  id: string;
  name: string;
  description?: string;
  parentId?: string;
  workspaceId?: string;
  hasSubfolders?: boolean;
  url?: string;
}

export interface IManageDocument {
  /** `LIB!number.version` */
  id: string;
  documentNumber: number;
  version: number;
  name: string;
  extension?: string;
  size?: number;
  author?: string;
  comment?: string;
  workspaceId?: string;
  customs: CustomFields;
  iwl?: string;
  url?: string;
  createdAt?: string;
  editedAt?: string;
}

export interface OffsetPage<T> {
  data: T[];
  /** Present when asked for (`total=true`). */
  total?: number;
  /** The offset of the next page, absent on the last one. */
  nextOffset?: number;
}

export interface NewWorkspace {
  name: string;
  description?: string;
  owner?: string;
  defaultSecurity?: 'private' | 'view' | 'public';
  /** A template workspace whose folders are copied. */
  template?: string;
  /** custom2 only together with custom1 (iManage's parent/child rule). */
  customs: CustomFields;
}
