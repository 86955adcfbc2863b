/**
 * Who asked for an act through the API: the key that made the request, its role, and the person the key acts
 * for when the key names one (`npm run apikey -- create --user`). Workflow inputs carry it, so the audit records
 * a run writes name the person who started it, and an approval can be checked against its request.
 */
export interface Requester {
  apiKeyId: string;
  role: string;
  /** The person (an email address or staff id, lower-cased); absent for a key that names nobody. */
  userId?: string;
}

/** An audit record's actor for an act a requester asked for: the person when the key names one, else the key. */
export function requesterActor(requester: Requester): {
  type: 'user' | 'api_key';
  id: string;
  role: string;
  apiKeyId: string;
} {
  return requester.userId
    ? { type: 'user', id: requester.userId, role: requester.role, apiKeyId: requester.apiKeyId }
    : { type: 'api_key', id: requester.apiKeyId, role: requester.role, apiKeyId: requester.apiKeyId };
}

/**
 * Whether two requests come from the same person: the same user, or (for keys that name nobody) the same key. A
 * key without a user is its own person, so two such keys held by one person are two; keys of people who approve
 * what others request should name their user.
 */
export function sameRequester(a: Requester, b: Requester): boolean {
  if (a.userId || b.userId) return a.userId === b.userId || a.apiKeyId === b.apiKeyId;
  return a.apiKeyId === b.apiKeyId;
}
