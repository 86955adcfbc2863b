import { type Rng } from './rng';

/** Word lists for plausible, clearly fictional law-firm data. */
const SURNAMES = [
  'Abbott',
  'Barnes',
  'Castillo',
  'Dalton',
  'Ellison',
  'Fischer',
  'Garrison',
  'Hayes',
  'Ingram',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreno',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quinn',
  'Ramirez',
  'Sullivan',
  'Thornton',
  'Underwood',
  'Vasquez',
  'Whitaker',
  'Xu',
  'Young',
  'Zimmerman',
];
const GIVEN = [
  'Alice',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Frank',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kate',
  'Liam',
];
const COMPANY_WORDS = [
  'Acme',
  'Blue Harbor',
  'Cedar',
  'Delta',
  'Evergreen',
  'Falcon',
  'Granite',
  'Horizon',
  'Ironwood',
  'Juniper',
  'Keystone',
  'Lakeside',
  'Meridian',
  'Northwind',
  'Orchid',
  'Pinnacle',
  'Redwood',
  'Summit',
  'Trident',
  'Vantage',
];
const COMPANY_KINDS = [
  'Holdings',
  'Logistics',
  'Foods',
  'Robotics',
  'Capital',
  'Builders',
  'Media',
  'Health',
];
const COMPANY_SUFFIX = ['LLC', 'Inc.', 'Ltd.', 'LLP', 'Corp.'];
const MATTER_KINDS = [
  (r: Rng): string => `${r.pick(SURNAMES)} v. ${r.pick(SURNAMES)}`,
  (r: Rng): string => `Acquisition of ${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)}`,
  (r: Rng): string => `Estate of ${r.pick(GIVEN)} ${r.pick(SURNAMES)}`,
  (r: Rng): string => `Lease Review - ${r.pick(COMPANY_WORDS)} Plaza`,
  (r: Rng): string => `Employment Dispute - ${r.pick(GIVEN)} ${r.pick(SURNAMES)}`,
  (): string => 'General Corporate Advice',
  (r: Rng): string => `Trademark Registration - ${r.pick(COMPANY_WORDS)}`,
];
const DOC_TITLES = [
  'Engagement Letter',
  'Conflict Check Memo',
  'Complaint',
  'Answer',
  'Motion to Dismiss',
  'Settlement Agreement',
  'Share Purchase Agreement',
  'Due Diligence Report',
  'Board Resolution',
  'Will',
  'Lease',
  'Research Memo',
  'Letter to Opposing Counsel',
  'Invoice Backup',
  'Deposition Outline',
  'Email re Scheduling',
];
export const AUTHORS = [
  { id: 'JSMITH', name: 'Jane Smith' },
  { id: 'RKUMAR', name: 'Raj Kumar' },
  { id: 'MLOPEZ', name: 'Maria Lopez' },
  { id: 'ADMIN', name: 'Sandbox Administrator' },
] as const;
export const EXTENSIONS = ['DOCX', 'DOCX', 'DOCX', 'PDF', 'PDF', 'XLSX', 'MSG'] as const;

export function clientName(r: Rng): string {
  if (r.int(0, 2) === 0) return `${r.pick(SURNAMES)}, ${r.pick(GIVEN)}`;
  return `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)} ${r.pick(COMPANY_SUFFIX)}`;
}

export const matterDescription = (r: Rng): string => r.pick(MATTER_KINDS)(r);

export const documentTitle = (r: Rng): string => r.pick(DOC_TITLES);

export const pad5 = (n: number): string => String(n).padStart(5, '0');
