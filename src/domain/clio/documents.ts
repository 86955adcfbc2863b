export interface ClioDocument {
  id: string;
  etag?: string;
  name: string;
  filename?: string;
  contentType?: string;
  size?: number;
  matterId?: string;
  parentFolderId?: string;
  externalProperties: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
}

export interface ClioFolder {
  id: string;
  etag?: string;
  name: string;
  root?: boolean;
  matterId?: string;
  parentFolderId?: string;
}

export interface Note {
  id: string;
  etag?: string;
  /** `Matter` or `Contact`. */
  type?: string;
  subject?: string;
  detail?: string;
  date?: string;
  matterId?: string;
  contactId?: string;
  createdAt?: string;
}
