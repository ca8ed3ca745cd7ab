import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the Salesforce metadata package (salesforce-metadata/) for tests, with a tiny XML reader:
 * the metadata files are plain elements and text, so no XML package is needed.
 */

export const PACKAGE_DIR = fileURLToPath(new URL('../../../../salesforce-metadata', import.meta.url));
export const SOURCE_DIR = join(PACKAGE_DIR, 'force-app/main/default');
export const LEAD_DIR = join(SOURCE_DIR, 'objects/Lead');
export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`${where}: stray '<' in text`);
  return raw.replace(/&([a-z]+|#\d+|#x[0-9a-f]+);|&/gi, (match, entity: string | undefined) => {
    if (!entity) throw new Error(`${where}: bare '&' in text (write &amp;)`);
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.startsWith('#x') ? `0x${entity.slice(2)}` : entity.slice(1)));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`${where}: unknown entity ${match}`);
    return value;
  });
}

function attributesOf(raw: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rest = raw.replace(/([\w:.-]+)\s*=\s*"([^"]*)"/g, (_m, key: string, value: string) => {
    out[key] = decode(value, where);
    return '';
  });
  if (rest.trim() !== '') throw new Error(`${where}: malformed attributes "${rest.trim()}"`);
  return out;
}

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|[^<]+|</g;

/** Parses one XML document; throws on unbalanced or crossed tags, stray text, bad entities or several roots. */
export function parseXml(xml: string, where = 'xml'): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const match of xml.matchAll(TOKEN)) {
    const [token, closing, opening, attrs, selfClosing] = match;
    if (token.startsWith('<?') || token.startsWith('<!--')) continue;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== closing) throw new Error(`${where}: </${closing}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    if (opening) {
      const element: XmlElement = { name: opening, attributes: attributesOf(attrs ?? '', where), children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`${where}: more than one root element`);
      else root = element;
      if (!selfClosing) stack.push(element);
      continue;
    }
    const parent = stack.at(-1);
    if (parent) parent.text += decode(token, where);
    else if (token.trim() !== '') throw new Error(`${where}: text outside the root element`);
  }
  if (stack.length > 0) throw new Error(`${where}: <${stack.map((e) => e.name).join('>, <')}> never closed`);
  if (!root) throw new Error(`${where}: no root element`);
  return root;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text.trim();
}

export function readXml(path: string): XmlElement {
  return parseXml(readFileSync(path, 'utf8'), path);
}

/** Every file under `dir`, recursively, as paths relative to it. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}

export interface PackageValue {
  fullName: string;
  label: string;
  default: boolean;
}

export interface PackageField {
  fullName: string;
  type: string;
  label: string;
  length?: number;
  precision?: number;
  scale?: number;
  externalId: boolean;
  unique: boolean;
  required: boolean;
  defaultValue?: string;
  restricted: boolean;
  values: PackageValue[];
}

function numberOf(element: XmlElement, name: string): number | undefined {
  const text = childText(element, name);
  return text === undefined ? undefined : Number(text);
}

function picklistValueOf(element: XmlElement): PackageValue {
  return {
    fullName: childText(element, 'fullName') ?? '',
    label: childText(element, 'label') ?? '',
    default: childText(element, 'default') === 'true',
  };
}

export function readField(path: string): PackageField {
  const root = readXml(path);
  const valueSet = child(root, 'valueSet');
  const definition = valueSet ? child(valueSet, 'valueSetDefinition') : undefined;
  const length = numberOf(root, 'length');
  const precision = numberOf(root, 'precision');
  const scale = numberOf(root, 'scale');
  const defaultValue = childText(root, 'defaultValue');
  return {
    fullName: childText(root, 'fullName') ?? '',
    type: childText(root, 'type') ?? '',
    label: childText(root, 'label') ?? '',
    ...(length !== undefined ? { length } : {}),
    ...(precision !== undefined ? { precision } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    externalId: childText(root, 'externalId') === 'true',
    unique: childText(root, 'unique') === 'true',
    required: childText(root, 'required') === 'true',
    restricted: valueSet ? childText(valueSet, 'restricted') === 'true' : false,
    values: (definition?.children ?? []).filter((c) => c.name === 'value').map(picklistValueOf),
  };
}

/** The package's Lead custom fields by API name. */
export function readLeadFields(): Map<string, PackageField> {
  return readFields(LEAD_DIR);
}

/** The package's Opportunity custom fields by API name. */
export function readOpportunityFields(): Map<string, PackageField> {
  return readFields(join(SOURCE_DIR, 'objects/Opportunity'));
}

function readFields(objectDir: string): Map<string, PackageField> {
  const dir = join(objectDir, 'fields');
  const files = readdirSync(dir).filter((name) => name.endsWith('.field-meta.xml'));
  return new Map(
    files.map((name) => {
      const field = readField(join(dir, name));
      return [field.fullName, field];
    }),
  );
}

export interface LeadStatusValue extends PackageValue {
  converted: boolean;
}

export function readLeadStatuses(): LeadStatusValue[] {
  const root = readXml(join(SOURCE_DIR, 'standardValueSets/LeadStatus.standardValueSet-meta.xml'));
  return root.children
    .filter((c) => c.name === 'standardValue')
    .map((value) => ({ ...picklistValueOf(value), converted: childText(value, 'converted') === 'true' }));
}

export interface ValidationRule {
  fullName: string;
  active: boolean;
  formula: string;
  errorDisplayField: string;
  errorMessage: string;
}

export function readValidationRule(name: string): ValidationRule {
  const root = readXml(join(LEAD_DIR, `validationRules/${name}.validationRule-meta.xml`));
  return {
    fullName: childText(root, 'fullName') ?? '',
    active: childText(root, 'active') === 'true',
    formula: childText(root, 'errorConditionFormula') ?? '',
    errorDisplayField: childText(root, 'errorDisplayField') ?? '',
    errorMessage: childText(root, 'errorMessage') ?? '',
  };
}
