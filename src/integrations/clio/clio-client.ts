import { type Activity } from '../../domain/clio/activity';
import { type BankAccount, type BankTransaction, type Bill, type BillState } from '../../domain/clio/billing';
import { type CalendarEntry, type Task } from '../../domain/clio/calendar';
import { type ClioDocument, type ClioFolder, type Note } from '../../domain/clio/documents';
import { type Matter } from '../../domain/clio/matter';
import { type ClioUser, type Contact } from '../../domain/clio/people';
import { type PracticeArea, type UtbmsCode } from '../../domain/clio/reference';
import { type ClioHttpClient } from './http-client';
import { ClioResource, type WriteOptions } from './resource';
import { ACTIVITY_FIELDS, activitySchema } from './resources/activities';
import {
  BANK_ACCOUNT_FIELDS,
  BANK_TRANSACTION_FIELDS,
  BILL_FIELDS,
  bankAccountSchema,
  bankTransactionSchema,
  billSchema,
} from './resources/billing';
import { CALENDAR_ENTRY_FIELDS, TASK_FIELDS, calendarEntrySchema, taskSchema } from './resources/calendar';
import {
  DOCUMENT_FIELDS,
  FOLDER_FIELDS,
  NOTE_FIELDS,
  documentSchema,
  folderSchema,
  noteSchema,
} from './resources/documents';
import { MATTER_FIELDS, matterSchema } from './resources/matters';
import { CONTACT_FIELDS, USER_FIELDS, contactSchema, userSchema } from './resources/people';
import {
  PRACTICE_AREA_FIELDS,
  UTBMS_CODE_FIELDS,
  practiceAreaSchema,
  utbmsCodeSchema,
} from './resources/reference';

export interface ClioClientOptions {
  /** Currency assumed when an answer names none (money fields are cents in this currency). */
  defaultCurrency?: string;
}

class UsersResource extends ClioResource<ClioUser> {
  /** The user the token acts as, with the firm's name. */
  whoAmI(): Promise<ClioUser> {
    return this.http.getRecord('users/who_am_i.json', { fields: this.defaultFields }, (raw) =>
      this.parseShow(raw),
    );
  }
}

class BillsResource extends ClioResource<Bill> {
  /**
   * Moves a bill through Clio's states (draft → awaiting_approval → awaiting_payment, or void). Pass the
   * etag read before deciding, so a bill someone changed meanwhile answers 412 instead of being overwritten.
   */
  updateState(id: string, state: BillState, opts: WriteOptions = {}): Promise<Bill> {
    return this.update(id, { state }, opts);
  }
}

/**
 * Typed Clio API v4 operations, every answer normalized into `src/domain/clio` types (ids as strings, money
 * in cents, durations in seconds). Built per tenant by the client factory on one shared ClioHttpClient.
 */
export class ClioClient {
  readonly users: UsersResource;
  readonly contacts: ClioResource<Contact>;
  readonly matters: ClioResource<Matter>;
  readonly activities: ClioResource<Activity>;
  readonly bills: BillsResource;
  readonly bankAccounts: ClioResource<BankAccount>;
  readonly bankTransactions: ClioResource<BankTransaction>;
  readonly calendarEntries: ClioResource<CalendarEntry>;
  readonly tasks: ClioResource<Task>;
  readonly documents: ClioResource<ClioDocument>;
  readonly folders: ClioResource<ClioFolder>;
  readonly notes: ClioResource<Note>;
  readonly practiceAreas: ClioResource<PracticeArea>;
  readonly utbmsCodes: ClioResource<UtbmsCode>;

  constructor(
    readonly http: ClioHttpClient,
    opts: ClioClientOptions = {},
  ) {
    const cur = opts.defaultCurrency ?? 'USD';
    this.users = new UsersResource(http, 'users', userSchema(cur), USER_FIELDS);
    this.contacts = new ClioResource(http, 'contacts', contactSchema, CONTACT_FIELDS);
    this.matters = new ClioResource(http, 'matters', matterSchema, MATTER_FIELDS);
    this.activities = new ClioResource(http, 'activities', activitySchema(cur), ACTIVITY_FIELDS);
    this.bills = new BillsResource(http, 'bills', billSchema(cur), BILL_FIELDS);
    this.bankAccounts = new ClioResource(http, 'bank_accounts', bankAccountSchema(cur), BANK_ACCOUNT_FIELDS);
    this.bankTransactions = new ClioResource(
      http,
      'bank_transactions',
      bankTransactionSchema(cur),
      BANK_TRANSACTION_FIELDS,
    );
    this.calendarEntries = new ClioResource(
      http,
      'calendar_entries',
      calendarEntrySchema,
      CALENDAR_ENTRY_FIELDS,
    );
    this.tasks = new ClioResource(http, 'tasks', taskSchema, TASK_FIELDS);
    this.documents = new ClioResource(http, 'documents', documentSchema, DOCUMENT_FIELDS);
    this.folders = new ClioResource(http, 'folders', folderSchema, FOLDER_FIELDS);
    this.notes = new ClioResource(http, 'notes', noteSchema, NOTE_FIELDS);
    this.practiceAreas = new ClioResource(http, 'practice_areas', practiceAreaSchema, PRACTICE_AREA_FIELDS);
    this.utbmsCodes = new ClioResource(http, 'utbms/codes', utbmsCodeSchema, UTBMS_CODE_FIELDS);
  }
}
