import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createActivitiesByQueue } from '../../workers/activities';
import { createClioBrowserActivities } from '../../activities/clio-browser';
import * as optionPresets from '../../workflows/shared/activity-options';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';

/** Every `const { a, b } = proxyActivities<...>(preset)` in workflows/, with the preset's task queue. */
function proxiedActivities(): { file: string; name: string; queue: string }[] {
  const dir = path.join(__dirname, '../../workflows');
  const found: { file: string; name: string; queue: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(
      /const\s*\{([^}]+)\}\s*=\s*proxyActivities<[^(]*>\(\s*(\w+)\s*(\([^)]*\))?\s*\)/g,
    )) {
      const exported = (optionPresets as Record<string, unknown>)[m[2]!];
      // A preset is an options object, or a function of a number (e.g. attempts) returning one.
      const preset = (typeof exported === 'function' ? (exported as (n: number) => unknown)(1) : exported) as
        { taskQueue?: string } | undefined;
      if (!preset)
        throw new Error(
          `${file}: proxyActivities uses ${m[2]}, which is not an option preset of workflows/shared/activity-options.ts`,
        );
      for (const name of m[1]!
        .split(',')
        .map((s) => s.trim().split(':')[0]!.trim())
        .filter(Boolean)) {
        // Without a task queue, activities run on the workflow's own queue: every workflow runs on orchestration.
        found.push({ file, name, queue: preset.taskQueue ?? TASK_QUEUES.orchestration });
      }
    }
  }
  return found;
}

describe('activity registration', () => {
  // Registration is about names: the dependencies are never called here.
  const unused = { webhooks: {} } as Parameters<typeof createActivitiesByQueue>[0];
  const registered = createActivitiesByQueue(unused);
  const byQueueName: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.entries(TASK_QUEUES).map(([k, queue]) => [
      queue,
      (registered as Record<string, Record<string, unknown>>)[k] ?? {},
    ]),
  );
  // The browser worker (its own process in production) registers the portal sign-in activities itself.
  byQueueName[TASK_QUEUES.clioBrowser] = createClioBrowserActivities(
    {} as Parameters<typeof createClioBrowserActivities>[0],
  );

  test('workflows proxy at least one activity (the scan finds them)', () => {
    expect(proxiedActivities().length).toBeGreaterThan(0);
  });

  test.each(proxiedActivities().map((p) => [`${p.file}: ${p.name} on ${p.queue}`, p] as const))(
    'when a workflow proxies %s, then a worker of that queue registers it',
    (_label, p) => {
      expect(typeof byQueueName[p.queue]?.[p.name]).toBe('function');
    },
  );
});
