import type { HubSpotContact } from '../../core/contact.ts';
import type { Random } from './random.ts';

/**
 * One made-up HubSpot contact, its properties drawn to exercise the SHIPPED mappings/mql-definition.yaml: company
 * and contact industries and sizes (with the contact's band as the fallback), job titles, countries, the five
 * behaviour counters, demo requests, and the e-mail domains its exclusions name (competitors, students, personal
 * mail). `quality` is the contact's hidden buying intent: fit and behaviour lean on it, and so do the outcomes, so
 * a backtest finds real signal (and some rules that carry more of it than others).
 */
export interface SeededContact {
  contact: HubSpotContact;
  quality: number;
}

const SOFTWARE = ['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'INTERNET', 'COMPUTER_NETWORK_SECURITY'];
const FINANCE = ['FINANCIAL_SERVICES', 'BANKING', 'INSURANCE'];
const OTHER_INDUSTRIES = [
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'MECHANICAL_OR_INDUSTRIAL_ENGINEERING',
  'MARKETING_AND_ADVERTISING',
  'EDUCATION_MANAGEMENT',
];

const DECISION_MAKERS = [
  'CEO',
  'CTO',
  'CIO',
  'VP Engineering',
  'VP of Sales',
  'Head of Marketing',
  'Director of IT',
  'Chief Revenue Officer',
];
const MANAGERS = ['Marketing Manager', 'IT Manager', 'Sales Operations Manager', 'Product Manager'];
const INDIVIDUALS = ['Software Engineer', 'Data Analyst', 'Consultant', 'Marketing Specialist', 'Account Executive', 'Designer'];
const STUDENTS = ['Student', 'PhD candidate', 'Undergraduate researcher'];

const CORE_COUNTRIES = ['United States', 'Canada', 'United Kingdom', 'Germany', 'France', 'Netherlands'];
const OTHER_COUNTRIES = ['Brazil', 'India', 'Spain', 'Australia', 'Japan', 'Poland'];

/** hs_analytics_source values (HubSpot's "Original source" enumeration), as the KPIs cut by them. */
const SOURCES: (readonly [string, number])[] = [
  ['ORGANIC_SEARCH', 30],
  ['PAID_SEARCH', 18],
  ['EMAIL_MARKETING', 14],
  ['SOCIAL_MEDIA', 8],
  ['PAID_SOCIAL', 8],
  ['REFERRALS', 10],
  ['DIRECT_TRAFFIC', 10],
  ['OFFLINE', 2],
];

const PERSONAL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'gmx.de'];
const STUDENT_DOMAINS = ['mit.edu', 'stanford.edu', 'ox.ac.uk'];
const COMPETITORS = ['competitor-one.example', 'competitor-two.example'];

/** The contact's own employee band (HubSpot's numemployees dropdown) for a head count. */
function bandOf(employees: number): string {
  if (employees >= 1000) return '1000+';
  if (employees >= 500) return '500-1000';
  if (employees >= 100) return '100-500';
  if (employees >= 50) return '50-100';
  if (employees >= 25) return '25-50';
  return employees >= 5 ? '5-25' : '1-5';
}

/** A count that grows with quality: mostly 0–2, up to `max` for the keen. */
function counter(random: Random, quality: number, max: number): number {
  return Math.min(max, Math.floor(random.next() * (max + 1) * (0.25 + quality)));
}

export function seededContact(random: Random, id: string): SeededContact {
  const quality = random.next() ** 1.6; // most contacts are tyre-kickers
  const properties: Record<string, string | null> = {};
  const set = (name: string, value: string | number | null) => {
    properties[name] = value === null ? null : String(value);
  };

  const industry = random.weighted([
    [random.pick(SOFTWARE), 30 + 40 * quality],
    [random.pick(FINANCE), 20],
    [random.pick(OTHER_INDUSTRIES), 50 - 30 * quality],
  ]);
  const employees = Math.round(random.logNormal(60 + 600 * quality, 1.6)) + 1;
  const hasCompany = random.chance(0.85);
  if (hasCompany) {
    set('company.industry', random.chance(0.9) ? industry : null);
    set('company.numberofemployees', random.chance(0.9) ? employees : null);
  }
  if (!hasCompany || properties['company.industry'] === null) set('industry', random.chance(0.6) ? industry : null);
  if (!hasCompany || properties['company.numberofemployees'] === null) set('numemployees', random.chance(0.7) ? bandOf(employees) : null);

  const student = random.chance(0.025);
  set(
    'jobtitle',
    student
      ? random.pick(STUDENTS)
      : random.weighted([
          [random.pick(DECISION_MAKERS), 10 + 30 * quality],
          [random.pick(MANAGERS), 25],
          [random.pick(INDIVIDUALS), 55 - 30 * quality],
          [null, 10],
        ]),
  );
  set('country', random.chance(0.7) ? random.pick(CORE_COUNTRIES) : random.pick(OTHER_COUNTRIES));

  set('pricing_page_views', counter(random, quality, 5));
  set('content_downloads', counter(random, quality * 0.7, 4));
  set('webinars_attended', random.chance(0.3) ? counter(random, quality, 2) : 0);
  set('email_clicks', counter(random, 0.5, 8)); // clicks say little about intent
  set('num_conversion_events', counter(random, quality, 4));
  set('demo_requested', random.chance(0.01 + 0.06 * quality) ? 'true' : 'false');

  const domain = student
    ? random.pick(STUDENT_DOMAINS)
    : random.weighted([
        [`company${random.int(1, 900)}.example`, 88],
        [random.pick(PERSONAL), 9],
        [random.pick(COMPETITORS), 1.5],
      ]);
  set('email', `contact${id}@${domain}`);
  set('hs_analytics_source', random.weighted(SOURCES));
  set('lifecyclestage', random.chance(0.03) ? 'customer' : 'lead');
  return { contact: { id, properties }, quality };
}
