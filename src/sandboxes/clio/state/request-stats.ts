/** Counts answers by status and by normalized route, since start or the last reset. */
export class RequestStats {
  private byStatus: Record<string, number> = {};
  private byRoute: Record<string, number> = {};

  record(method: string, path: string, status: number | 'dropped'): void {
    const route = `${method} ${normalizeRoute(path)}`;
    this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  snapshot(): { byStatus: Record<string, number>; byRoute: Record<string, number> } {
    return { byStatus: { ...this.byStatus }, byRoute: { ...this.byRoute } };
  }

  reset(): void {
    this.byStatus = {};
    this.byRoute = {};
  }
}

/** `/api/v4/matters/123.json` → `/api/v4/matters/{id}`: ids and the optional suffix removed. */
export function normalizeRoute(path: string): string {
  return (
    path
      .replace(/\.json$/, '')
      .split('/')
      // Numeric ids, and uuids or long hex keys (upload URLs), all count as one route.
      .map((seg) => (/^\d+$/.test(seg) || /^[0-9a-f-]{16,}$/i.test(seg) ? '{id}' : seg))
      .join('/')
  );
}
