/**
 * The demo's contacts: fictional people at fictional companies, e-mail addresses on the reserved .example
 * domain (RFC 2606). Each one plays a part in the story; the comment says why it qualifies or not under the
 * shipped mql-definition.yaml.
 */
export type DemoRole = 'breach' | 'accept' | 'reject' | 'rejectWithoutReason' | 'notQualified' | 'roundRobin';

export interface DemoContact {
  role: DemoRole;
  /** For the narration: who they are, in a few words. */
  intro: string;
  properties: Record<string, string>;
  /** The contact's primary company: size and industry live there, as in most HubSpot portals. */
  company: Record<string, string>;
}

export const DEMO_CONTACTS: readonly DemoContact[] = [
  {
    // Fast track: a demo request qualifies at once, whatever the score (15 here).
    role: 'breach',
    intro: 'requested a demo on the website',
    properties: {
      email: 'nora.quill@quillfeather.example',
      firstname: 'Nora',
      lastname: 'Quill',
      company: 'Quillfeather Analytics',
      jobtitle: 'VP Customer Operations',
      demo_requested: 'true',
    },
    company: { name: 'Quillfeather Analytics', numberofemployees: '40' },
  },
  {
    // Enterprise (1,000+ employees): 78 ≥ 70, fit 55 ≥ 30, behaviour 23 ≥ 15. acme.example is the website of a
    // sandbox Account (Riley Rep's), so routing.yaml's existing-account rule gives the Lead that Account's owner.
    role: 'accept',
    intro: 'read the pricing page three times and attended a webinar',
    properties: {
      email: 'tomas.brandt@acme.example',
      firstname: 'Tomas',
      lastname: 'Brandt',
      company: 'Acme Corporation',
      jobtitle: 'Director of IT',
      country: 'United States',
      pricing_page_views: '3',
      webinars_attended: '1',
    },
    company: { name: 'Acme Corporation', numberofemployees: '2400', industry: 'COMPUTER_SOFTWARE' },
  },
  {
    // SMB: 53 ≥ 50 with fit 45 ≥ 15.
    role: 'reject',
    intro: 'downloaded two white papers',
    properties: {
      email: 'lena.okafor@tidewater.example',
      firstname: 'Lena',
      lastname: 'Okafor',
      company: 'Tidewater Tools',
      jobtitle: 'Head of Operations',
      country: 'Germany',
      content_downloads: '2',
    },
    company: { name: 'Tidewater Tools', numberofemployees: '120', industry: 'INTERNET' },
  },
  {
    // SMB: 51 ≥ 50 with fit 23 ≥ 15 (manager title, mid-size, UK; two webinars, clicks, forms).
    role: 'rejectWithoutReason',
    intro: 'attended two webinars and filled in two forms',
    properties: {
      email: 'ravi.castellan@copperleaf.example',
      firstname: 'Ravi',
      lastname: 'Castellan',
      company: 'Copperleaf Clinics',
      jobtitle: 'IT Manager',
      country: 'United Kingdom',
      webinars_attended: '2',
      email_clicks: '3',
      num_conversion_events: '2',
    },
    company: { name: 'Copperleaf Clinics', numberofemployees: '300', industry: 'HOSPITAL_HEALTH_CARE' },
  },
  {
    // SMB: 2 < 50 and fit 0 < 15: not a fit, and barely engaged.
    role: 'notQualified',
    intro: 'clicked one newsletter link',
    properties: {
      email: 'sam.hollis@pebbleandpine.example',
      firstname: 'Sam',
      lastname: 'Hollis',
      company: 'Pebble & Pine Bakery',
      jobtitle: 'Office Coordinator',
      country: 'Ireland',
      email_clicks: '1',
    },
    company: { name: 'Pebble & Pine Bakery', numberofemployees: '8', industry: 'FOOD_PRODUCTION' },
  },
];

/**
 * The contact who arrives after an admin published a round-robin pool: SMB, 53 ≥ 50 with fit 45 ≥ 15 (as Lena);
 * no Account has her domain, so the pool deals her Lead. Not a demo request: her first-touch clock is the usual one.
 */
export const ROUND_ROBIN_CONTACT: DemoContact = {
  role: 'roundRobin',
  intro: 'downloaded two white papers',
  properties: {
    email: 'priya.natarajan@larkspur.example',
    firstname: 'Priya',
    lastname: 'Natarajan',
    company: 'Larkspur Labs',
    jobtitle: 'Head of Operations',
    country: 'Germany',
    content_downloads: '2',
  },
  company: { name: 'Larkspur Labs', numberofemployees: '120', industry: 'INTERNET' },
};

export function displayName(contact: DemoContact): string {
  return `${contact.properties.firstname} ${contact.properties.lastname} (${contact.properties.jobtitle}, ${contact.properties.company})`;
}

export function firstName(contact: DemoContact): string {
  return contact.properties.firstname ?? '';
}
