export interface CalendarEntry {
  id: string;
  etag?: string;
  summary: string;
  description?: string;
  location?: string;
  startAt?: string;
  endAt?: string;
  allDay?: boolean;
  matterId?: string;
  calendarOwnerId?: string;
  /** `external_properties` name → value: how a retry finds the entry an earlier attempt made. */
  externalProperties: Record<string, string>;
}

export interface Task {
  id: string;
  etag?: string;
  name: string;
  description?: string;
  status?: string;
  priority?: string;
  dueAt?: string;
  completedAt?: string;
  matterId?: string;
  assigneeId?: string;
  assigneeType?: string;
}
