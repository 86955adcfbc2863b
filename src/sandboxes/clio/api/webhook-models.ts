/** Webhook models and the collections they watch; models may also be given by Clio's numbers. */
export const MODEL_COLLECTIONS: Record<string, string> = {
  activity: 'activities',
  bill: 'bills',
  calendar_entry: 'calendar_entries',
  clio_payments_payment: 'clio_payments_payments',
  communication: 'communications',
  contact: 'contacts',
  document: 'documents',
  folder: 'folders',
  matter: 'matters',
  task: 'tasks',
};

export const MODEL_NUMBERS: Record<number, string> = {
  1: 'matter',
  2: 'activity',
  3: 'bill',
  4: 'calendar_entry',
  5: 'communication',
  6: 'contact',
  7: 'task',
  8: 'document',
  9: 'folder',
  10: 'clio_payments_payment',
};

export const COLLECTION_MODELS: Record<string, string> = Object.fromEntries(
  Object.entries(MODEL_COLLECTIONS).map(([m, c]) => [c, m]),
);
