import type { SearchFilter, SearchFilterGroup, SearchSort } from '../../adapters/hubspot/hubspot-port.ts';
import type { SimContact } from './types.ts';

/** Pure CRM search semantics: filters AND within a group, groups OR; sorts; offset cursor paging. */

const DATE_PROPERTIES = new Set(['createdate', 'lastmodifieddate']);

/** Datetime filters take epoch milliseconds (or ISO); other numbers compare numerically; the rest as text. */
function comparable(name: string, value: string, isDate: boolean): number | string {
  if (isDate || DATE_PROPERTIES.has(name)) {
    const asNumber = Number(value);
    const ms = Number.isFinite(asNumber) ? asNumber : Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  const number = Number(value);
  if (value.trim() !== '' && Number.isFinite(number)) return number;
  return value.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function matchesFilter(contact: SimContact, filter: SearchFilter, isDate = false): boolean {
  const raw = contact.properties[filter.propertyName];
  const has = raw !== undefined && raw !== '';
  if (filter.operator === 'HAS_PROPERTY') return has;
  if (filter.operator === 'NOT_HAS_PROPERTY') return !has;
  const values = filter.values ?? [];
  if (filter.operator === 'NOT_IN')
    return (
      !has ||
      !values.some((value) => compare(comparable(filter.propertyName, raw, isDate), comparable(filter.propertyName, value, isDate)) === 0)
    );
  if (filter.operator === 'NEQ')
    return !has || compare(comparable(filter.propertyName, raw, isDate), comparable(filter.propertyName, filter.value ?? '', isDate)) !== 0;
  if (!has) return false;
  const left = comparable(filter.propertyName, raw, isDate);
  const right = comparable(filter.propertyName, filter.value ?? '', isDate);
  switch (filter.operator) {
    case 'EQ':
      return compare(left, right) === 0;
    case 'LT':
      return compare(left, right) < 0;
    case 'LTE':
      return compare(left, right) <= 0;
    case 'GT':
      return compare(left, right) > 0;
    case 'GTE':
      return compare(left, right) >= 0;
    case 'BETWEEN':
      return compare(left, right) >= 0 && compare(left, comparable(filter.propertyName, filter.highValue ?? '', isDate)) <= 0;
    case 'IN':
      return values.some((value) => compare(left, comparable(filter.propertyName, value, isDate)) === 0);
    case 'CONTAINS_TOKEN':
      return String(raw)
        .toLowerCase()
        .includes((filter.value ?? '').replaceAll('*', '').toLowerCase());
    case 'NOT_CONTAINS_TOKEN':
      return !String(raw)
        .toLowerCase()
        .includes((filter.value ?? '').replaceAll('*', '').toLowerCase());
    default:
      return false;
  }
}

export function matchesGroups(contact: SimContact, groups: SearchFilterGroup[], isDate: (name: string) => boolean): boolean {
  if (groups.length === 0) return true;
  return groups.some((group) => group.filters.every((filter) => matchesFilter(contact, filter, isDate(filter.propertyName))));
}

/** Sorts come as {propertyName, direction} or as "name" / "-name" strings; ties break on id. */
export function normaliseSorts(sorts: unknown[]): SearchSort[] {
  return sorts.map((sort) => {
    if (typeof sort === 'string') {
      return sort.startsWith('-')
        ? { propertyName: sort.slice(1), direction: 'DESCENDING' }
        : { propertyName: sort, direction: 'ASCENDING' };
    }
    const object = sort as Partial<SearchSort>;
    return { propertyName: String(object.propertyName), direction: object.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' };
  });
}

export function sortContacts(contacts: SimContact[], sorts: SearchSort[]): SimContact[] {
  return [...contacts].sort((a, b) => {
    for (const sort of sorts) {
      const left = a.properties[sort.propertyName];
      const right = b.properties[sort.propertyName];
      if (left === right) continue;
      if (left === undefined) return 1; // empty values last, whatever the direction
      if (right === undefined) return -1;
      const order = compare(comparable(sort.propertyName, left, false), comparable(sort.propertyName, right, false));
      if (order !== 0) return sort.direction === 'DESCENDING' ? -order : order;
    }
    return Number(a.id) - Number(b.id);
  });
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/** HubSpot's `after` is opaque; here it is the offset of the next record. */
export function paginate<T>(items: T[], after: string | undefined, limit: number): Page<T> {
  const start = after ? Math.max(0, Number.parseInt(after, 10) || 0) : 0;
  const page: Page<T> = { items: items.slice(start, start + limit) };
  if (start + limit < items.length) page.next = String(start + limit);
  return page;
}
