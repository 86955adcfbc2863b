import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The contract's custom search attributes, registered when the dev server starts. */
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const MatterNumber = defineSearchAttributeKey('MatterNumber', SearchAttributeType.KEYWORD);
export const ClioMatterId = defineSearchAttributeKey('ClioMatterId', SearchAttributeType.INT);
export const BusinessStatus = defineSearchAttributeKey('BusinessStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TenantId, MatterNumber, ClioMatterId, BusinessStatus];

/** `Name=Type` as `temporal server start-dev --search-attribute` takes it. */
export function searchAttributeFlags(): string[] {
  const typeName: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int' };
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${typeName[k.type] ?? k.type}`]);
}
