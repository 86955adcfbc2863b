/** The iManage Work integration's public surface (Temporal-free). */
export { formatDocumentId, parseDocumentId, type DocumentRef } from './document-id';
export { IManageApiError } from './errors';
export { IManageHttpClient, type IManageHttpClientOptions } from './http-client';
export { IManageClient, type PageOptions } from './imanage-client';
export { createIManageTokenProvider, type IManageTokenProvider } from './token-provider';
export type * from './types';
