import { z } from 'zod';
import { type CalendarEntry, type Task } from '../../../domain/clio/calendar';
import { bool, externalProperties, id, link, linkId, str, und } from './wire';

export const CALENDAR_ENTRY_FIELDS =
  'id,etag,summary,description,location,start_at,end_at,all_day,matter{id},calendar_owner{id},external_properties{name,value}';

export const calendarEntrySchema = z
  .looseObject({
    id,
    etag: str,
    summary: str,
    description: str,
    location: str,
    start_at: str,
    end_at: str,
    all_day: bool,
    matter: link,
    calendar_owner: link,
    external_properties: externalProperties,
  })
  .transform((e): CalendarEntry => ({
    id: e.id,
    etag: und(e.etag),
    summary: e.summary ?? '',
    description: und(e.description),
    location: und(e.location),
    startAt: und(e.start_at),
    endAt: und(e.end_at),
    allDay: und(e.all_day),
    matterId: linkId(e.matter),
    calendarOwnerId: linkId(e.calendar_owner),
    externalProperties: e.external_properties,
  }));

export const TASK_FIELDS =
  'id,etag,name,description,status,priority,due_at,completed_at,matter{id},assignee{id,type}';

export const taskSchema = z
  .looseObject({
    id,
    etag: str,
    name: z.string(),
    description: str,
    status: str,
    priority: str,
    due_at: str,
    completed_at: str,
    matter: link,
    assignee: z.looseObject({ id, type: str }).nullish(),
  })
  .transform((t): Task => ({
    id: t.id,
    etag: und(t.etag),
    name: t.name,
    description: und(t.description),
    status: und(t.status),
    priority: und(t.priority),
    dueAt: und(t.due_at),
    completedAt: und(t.completed_at),
    matterId: linkId(t.matter),
    assigneeId: und(t.assignee?.id),
    assigneeType: und(t.assignee?.type),
  }));
