import { ClioApiError } from '../../src/integrations/clio/errors';
import {
  ClioTimeEntries,
  ClioTimeEntrySchema,
  type NewTimeEntry,
} from '../../src/integrations/clio/time-entries';
import { clioClient, recordingTransport, startClio, type ClioHarness } from './helpers';

let h: ClioHarness;
beforeAll(async () => {
  h = await startClio();
});
afterAll(() => h.close());

/** Runs `fn` unless the sandbox does not serve the route yet (404 "Route ..."); answers whether it ran. */
async function whereServed(fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (err instanceof ClioApiError && err.status === 404 && /Route/.test(err.message)) return false;
    throw err;
  }
}

describe('Clio client: writes answer normalized records', () => {
  it('when a calendar entry, a task and a note are created, then each reads back the same', async () => {
    const clio = clioClient(h.baseUrl);
    const me = await clio.users.whoAmI();
    const matter = (await clio.matters.listPage({ limit: 1 })).data[0];
    const matterRef = { id: Number(matter?.id) };
    const served: string[] = [];

    if (
      await whereServed(async () => {
        const cals = await clio.http.request<{ data: { id: number }[] }>('GET', 'calendars.json', {
          fields: 'id',
        });
        const entry = await clio.calendarEntries.create({
          summary: 'Hearing',
          start_at: '2026-12-01T15:00:00Z',
          end_at: '2026-12-01T16:00:00Z',
          calendar_owner: { id: cals.data[0]?.id },
          matter: matterRef,
          external_properties: [{ name: 'orchestratorKey', value: 'docket-1' }],
        });
        expect(entry).toMatchObject({
          summary: 'Hearing',
          matterId: matter?.id,
          externalProperties: { orchestratorKey: 'docket-1' },
        });
        expect(await clio.calendarEntries.get(entry.id)).toEqual(entry);
      })
    )
      served.push('calendarEntries');

    if (
      await whereServed(async () => {
        const task = await clio.tasks.create({
          name: 'File brief',
          description: 'Due in court',
          due_at: '2026-12-01',
          assignee: { id: Number(me.id), type: 'User' },
          matter: matterRef,
        });
        expect(task).toMatchObject({ name: 'File brief', matterId: matter?.id, assigneeId: me.id });
        expect(await clio.tasks.get(task.id)).toEqual(task);
      })
    )
      served.push('tasks');

    if (
      await whereServed(async () => {
        const note = await clio.notes.create({
          type: 'Matter',
          subject: 'Call',
          detail: 'Discussed terms',
          matter: matterRef,
        });
        expect(note).toMatchObject({ type: 'Matter', subject: 'Call', matterId: matter?.id });
        expect(await clio.notes.get(note.id)).toEqual(note);
      })
    )
      served.push('notes');

    // Reported, not required: the sandbox grows these routes over time.
    console.info(`Clio sandbox served writes for: ${served.join(', ') || 'none'}`);
  });
});

describe('Clio time entries: a write with a time to be sent by', () => {
  const entryOnAMatter = async (): Promise<NewTimeEntry> => {
    const matter = (await clioClient(h.baseUrl).matters.listPage({ limit: 1 })).data[0]!;
    return {
      matterId: String(matter.id),
      date: '2026-11-20',
      quantitySeconds: 600,
      note: `send-by ${Math.random().toString(36).slice(2)}`,
    };
  };
  const writtenSoFar = (entry: NewTimeEntry, since: string) =>
    new ClioTimeEntries(clioClient(h.baseUrl).http).findMatching(entry, since);

  it('when the token arrives after that time (a slow refresh), then nothing is sent and the error is retryable', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const slowTokens = {
      getAccessToken: () => new Promise<string>((r) => setTimeout(() => r('sandbox-access-token'), 300)),
      invalidate: () => undefined,
    };
    const { transport, statuses } = recordingTransport();
    const entries = new ClioTimeEntries(clioClient(h.baseUrl, { tokens: slowTokens, transport }).http);
    const entry = await entryOnAMatter();
    const err = (await entries
      .create(entry, { sendBy: Date.now() + 100 })
      .catch((e: unknown) => e)) as ClioApiError;
    expect(err).toBeInstanceOf(ClioApiError);
    expect({ type: err.type, retryable: err.retryable }).toEqual({
      type: 'SendDeadlinePassed',
      retryable: true,
    });
    expect(statuses).toEqual([]);
    expect(await writtenSoFar(entry, since)).toEqual([]);
  });

  it('when it is sent in time, then it is written once', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const { transport, statuses } = recordingTransport();
    const entries = new ClioTimeEntries(clioClient(h.baseUrl, { transport }).http);
    const entry = await entryOnAMatter();
    const created = await entries.create(entry, { sendBy: Date.now() + 10_000 });
    expect(statuses).toEqual([201]);
    expect((await writtenSoFar(entry, since)).map((a) => a.id)).toEqual([created.id]);
  });
});

describe("Clio time entries: the matter's display number comes with the entry, at no extra request", () => {
  it('when an entry is created, found again by a retry, or read by its id, then each answer names its matter and its display number', async () => {
    const clio = clioClient(h.baseUrl);
    const matter = (await clio.matters.listPage({ limit: 1 })).data[0]!;
    const displayNumber = (
      await clio.http.request<{ data: { display_number: string } }>('GET', `matters/${matter.id}.json`, {
        fields: 'id,display_number',
      })
    ).data.display_number;
    expect(displayNumber).toMatch(/\S/);
    const since = new Date(Date.now() - 60_000).toISOString();
    const { transport, statuses } = recordingTransport();
    const entries = new ClioTimeEntries(clioClient(h.baseUrl, { transport }).http);
    const entry: NewTimeEntry = {
      matterId: String(matter.id),
      date: '2026-11-21',
      quantitySeconds: 900,
      note: `numbered ${Math.random().toString(36).slice(2)}`,
    };

    const created = await entries.create(entry);
    // One request, the write itself: the number rides on its answer.
    expect(statuses).toEqual([201]);
    expect(created.matter).toEqual({ id: String(matter.id), display_number: displayNumber });

    const found = await entries.findMatching(entry, since);
    expect(found.map((a) => [a.id, a.matter])).toEqual([
      [created.id, { id: String(matter.id), display_number: displayNumber }],
    ]);
    expect(await entries.matterNumberOf(created.id)).toBe(displayNumber);
  });
});

describe('Clio time entries: an answer whose display number has another shape', () => {
  it('when Clio answers the matter with a null display number, then the written entry still reads, without a number', () => {
    const parsed = ClioTimeEntrySchema.parse({
      id: 5,
      matter: { id: 9800001, display_number: null },
    });
    expect(parsed).toEqual({ id: '5', matter: { id: '9800001' } });
  });
});
