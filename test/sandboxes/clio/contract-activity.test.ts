import type { Json } from './helpers';
import { useContract } from './contract-harness';

const { op, all, harness } = useContract();

describe('contract (calendar and documents): answers match clio-openapi-v4.json', () => {
  it('calendars, calendar entries, reminders, tasks, notes, communications', async () => {
    const cals = await op('/calendars.json', 'GET', `/api/v4/calendars.json?${all('Calendar')}`, {
      expect: 200,
    });
    await op('/calendars.json', 'POST', `/api/v4/calendars.json?${all('Calendar')}`, {
      json: { data: { name: 'Trial team' } },
      expect: 201,
    });
    const entry = await op(
      '/calendar_entries.json',
      'POST',
      `/api/v4/calendar_entries.json?${all('CalendarEntry')}`,
      {
        json: {
          data: {
            summary: 'Hearing',
            start_at: '2026-12-01T15:00:00Z',
            end_at: '2026-12-01T16:00:00Z',
            calendar_owner: { id: cals.data[0].id },
            matter: { id: 9800001 },
            attendees: [
              { id: cals.data[1].id, type: 'Calendar' },
              { id: 1200001, type: 'Contact' },
            ],
            external_properties: [{ name: 'docket_id', value: 'D-1' }],
          },
        },
        expect: 201,
      },
    );
    expect(typeof entry.data.id).toBe('string');
    await op(
      '/calendar_entries.json',
      'GET',
      `/api/v4/calendar_entries.json?external_property_name=docket_id&external_property_value=D-1&${all('CalendarEntry')}`,
      { expect: 200 },
    );
    await op(
      '/calendar_entries/{id}.json',
      'PATCH',
      `/api/v4/calendar_entries/${entry.data.id}.json?${all('CalendarEntry')}`,
      { json: { data: { location: 'Courtroom 5' } }, expect: 200 },
    );
    const reminder = await op('/reminders.json', 'POST', `/api/v4/reminders.json?${all('Reminder')}`, {
      json: {
        data: {
          subject: { id: Number(entry.data.id), type: 'CalendarEntry' },
          notification_method: { id: 1 },
          duration_value: 1,
          duration_unit: 'days',
        },
      },
      expect: 201,
    });
    expect(reminder.data).toMatchObject({ duration: 1440, next_delivery_at: '2026-11-30T15:00:00.000Z' });
    await op('/reminders.json', 'GET', `/api/v4/reminders.json?${all('Reminder')}`, { expect: 200 });
    const task = await op('/tasks.json', 'POST', `/api/v4/tasks.json?${all('Task')}`, {
      json: {
        data: {
          name: 'File answer',
          description: 'Due in 21 days',
          assignee: { id: 345001, type: 'User' },
          due_at: '2026-12-10',
          matter: { id: 9800001 },
        },
      },
      expect: 201,
    });
    await op('/tasks/{id}.json', 'PATCH', `/api/v4/tasks/${task.data.id}.json?${all('Task')}`, {
      json: { data: { status: 'complete' } },
      expect: 200,
    });
    await op(
      '/tasks.json',
      'GET',
      `/api/v4/tasks.json?assignee_id=345001&assignee_type=user&${all('Task')}`,
      { expect: 200 },
    );
    // A time entry linked to the task and the calendar entry: its nested links must match the spec too.
    await op('/activities.json', 'POST', `/api/v4/activities.json?${all('Activity')}`, {
      json: {
        data: {
          type: 'TimeEntry',
          date: '2026-12-01',
          quantity: 3600,
          matter: { id: 9800001 },
          task: { id: task.data.id },
          calendar_entry: { id: Number(entry.data.id) },
        },
      },
      expect: 201,
    });
    const counted = await op(
      '/tasks/{id}.json',
      'GET',
      `/api/v4/tasks/${task.data.id}.json?fields=time_entries_count`,
      { expect: 200 },
    );
    expect(counted.data.time_entries_count).toBe(1);
    const timed = await op('/activities.json', 'POST', '/api/v4/activities.json?fields=id', {
      json: { data: { type: 'TimeEntry', date: '2026-12-02', quantity: 60, matter: { id: 9800001 } } },
      expect: 201,
    });
    await op('/timer.json', 'POST', `/api/v4/timer.json?${all('Timer')}`, {
      json: { data: { activity: { id: timed.data.id } } },
      expect: 201,
    });
    await op('/timer.json', 'GET', `/api/v4/timer.json?${all('Timer')}`, { expect: 200 });
    await op('/timer.json', 'DELETE', '/api/v4/timer.json', { expect: 204 });
    const note = await op('/notes.json', 'POST', `/api/v4/notes.json?${all('Note')}`, {
      json: { data: { type: 'Matter', matter: { id: 9800001 }, subject: 'Call', detail: 'Discussed' } },
      expect: 201,
    });
    await op('/notes.json', 'GET', `/api/v4/notes.json?type=Matter&${all('Note')}`, { expect: 200 });
    await op('/notes.json', 'GET', '/api/v4/notes.json', { expect: 400 });
    await op('/notes/{id}.json', 'DELETE', `/api/v4/notes/${note.data.id}.json`, { expect: 204 });
    const comm = await op(
      '/communications.json',
      'POST',
      `/api/v4/communications.json?${all('Communication')}`,
      {
        json: {
          data: {
            type: 'EmailCommunication',
            subject: 'Bill sent',
            body: 'Invoice attached',
            matter: { id: 9800001 },
            receivers: [{ id: 1200001, type: 'Contact' }],
          },
        },
        expect: 201,
      },
    );
    await op(
      '/communications/{id}.json',
      'GET',
      `/api/v4/communications/${comm.data.id}.json?${all('Communication')}`,
      { expect: 200 },
    );
    await op('/communications.json', 'GET', `/api/v4/communications.json?${all('Communication')}`, {
      expect: 200,
    });
    await op('/calendar_entries/{id}.json', 'DELETE', `/api/v4/calendar_entries/${entry.data.id}.json`, {
      expect: 204,
    });
  });

  it('folders and the three-step document upload', async () => {
    const folder = await op('/folders.json', 'POST', `/api/v4/folders.json?${all('Folder')}`, {
      json: { data: { name: 'Pleadings', parent: { id: 9800001, type: 'Matter' } } },
      expect: 201,
    });
    const created = await op(
      '/documents.json',
      'POST',
      '/api/v4/documents.json?fields=id,latest_document_version{uuid,put_url,put_headers}',
      { json: { data: { name: 'answer.pdf', parent: { id: folder.data.id, type: 'Folder' } } }, expect: 201 },
    );
    const version = created.data.latest_document_version;
    const headers = Object.fromEntries(version.put_headers.map((x: Json) => [x.name, x.value]));
    const put = await fetch(version.put_url, {
      method: 'PUT',
      headers,
      body: Buffer.from('%PDF-1.4 sandbox'),
    });
    expect(put.status).toBe(200);
    await op(
      '/documents/{id}.json',
      'PATCH',
      `/api/v4/documents/${created.data.id}.json?${all('Document')}`,
      { json: { data: { uuid: version.uuid, fully_uploaded: true } }, expect: 200 },
    );
    await op('/documents.json', 'GET', `/api/v4/documents.json?matter_id=9800001&${all('Document')}`, {
      expect: 200,
    });
    await op(
      '/documents/{id}/versions.json',
      'GET',
      `/api/v4/documents/${created.data.id}/versions.json?${all('DocumentVersion')}`,
      { expect: 200 },
    );
    await op('/folders.json', 'GET', `/api/v4/folders.json?${all('Folder')}`, { expect: 200 });
    await op('/folders/{id}.json', 'DELETE', `/api/v4/folders/${folder.data.id}.json`, { expect: 409 });
    const listed = await op(
      '/folders/list.json',
      'GET',
      `/api/v4/folders/list.json?parent_id=${folder.data.id}&${all('Item')}`,
      { expect: 200 },
    );
    expect(listed.data.map((i: Json) => i.type)).toEqual(['Document']);
    await op('/folders/list.json', 'GET', `/api/v4/folders/list.json?${all('Item')}`, { expect: 200 });
    const download = await harness().api(`/api/v4/documents/${created.data.id}/download.json`, {
      redirect: 'manual',
    });
    expect(download.status).toBe(303);
    expect(await (await fetch(download.headers.get('location')!)).text()).toBe('%PDF-1.4 sandbox');
  });
});
