// Form edits applied to a YAML file's text. The yaml package's Document API finds each node and its place in the
// text; the edit then replaces only those characters, so every comment, blank line, key order and flow style the
// admin wrote stays exactly as it was (re-printing the whole document would restyle it). Plain ESM: the page and
// jest (in node) both import it.
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';

const lineStart = (text, pos) => text.lastIndexOf('\n', pos - 1) + 1;
const lineEnd = (text, pos) => {
  const next = text.indexOf('\n', pos);
  return next === -1 ? text.length : next + 1;
};
const splice = (text, from, to, insert) => text.slice(0, from) + insert + text.slice(to);

function parse(text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`the YAML does not parse: ${doc.errors[0].message}`);
  return doc;
}

/** The plain value at `path` (undefined when absent). */
export function readValue(text, path) {
  const node = parse(text).getIn(path, true);
  return node === undefined ? undefined : typeof node.toJSON === 'function' ? node.toJSON() : node;
}

/** One line of YAML for a value: scalars keep the old quoting style; collections are written in flow style. */
function render(value, old, inFlow) {
  // As the shipped files write them: [a, b] and { key: value }.
  if (value !== null && typeof value === 'object')
    return stringify(value, { lineWidth: 0, collectionStyle: 'flow', flowCollectionPadding: !Array.isArray(value) }).trim();
  if (typeof value !== 'string') return String(value);
  if (old?.type === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  if (old?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  const plain = stringify(value, { lineWidth: 0 }).trim();
  return inFlow && /[,[\]{}]/.test(plain) ? JSON.stringify(value) : plain;
}

/** Sets (or, with `undefined`, removes) the value at `path`; the parent map or sequence must exist. */
export function setValue(text, path, value) {
  const doc = parse(text);
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const key = path[path.length - 1];
  if (!isMap(parent) && !isSeq(parent)) throw new Error(`${path.slice(0, -1).join('.')} is not a map or a list`);
  const pair = isMap(parent) ? parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key) : undefined;
  const node = isMap(parent) ? pair?.value : parent.items[key];
  const inFlow = parent.flow === true;
  if (value === undefined) return pair ? removePair(text, parent, pair) : text;
  if (node) return splice(text, node.range[0], node.range[1], render(value, isScalar(node) ? node : undefined, inFlow || node.flow));
  if (isSeq(parent)) throw new Error(`no item ${key} in ${path.slice(0, -1).join('.')}`);
  return addPair(text, parent, key, render(value, undefined, inFlow));
}

function addPair(text, map, key, rendered) {
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1]);
    const before = text.slice(0, close).trimEnd();
    const separator = map.items.length > 0 ? ', ' : ' ';
    return `${before}${separator}${key}: ${rendered} ${text.slice(close)}`;
  }
  const last = map.items[map.items.length - 1];
  const keyStart = map.items[0].key.range[0];
  const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
  const at = lineEnd(text, (last.value ?? last.key).range[1] - 1);
  const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return splice(text, at, at, `${newline}${indent}${key}: ${rendered}\n`);
}

function removePair(text, map, pair) {
  const start = pair.key.range[0];
  const end = (pair.value ?? pair.key).range[1];
  if (!map.flow) return splice(text, lineStart(text, start), lineEnd(text, end - 1), '');
  const comma = text.lastIndexOf(',', start);
  if (comma > map.range[0]) return splice(text, comma, end, '');
  const after = text.slice(end).match(/^\s*,\s*/)?.[0].length ?? 0;
  return splice(text, start, end + after, '');
}

/** Where a block sequence's item sits in the text: its whole lines, with the comment lines just above it. */
function itemSpan(text, seq, index) {
  const item = seq.items[index];
  let start = lineStart(text, item.range[0]);
  const floor = index === 0 ? 0 : lineEnd(text, seq.items[index - 1].range[1] - 1);
  while (start > floor) {
    const previous = lineStart(text, start - 1);
    if (!text.slice(previous, start).trim().startsWith('#')) break;
    start = previous;
  }
  return { start, end: lineEnd(text, item.range[1] - 1) };
}

function blockSeq(doc, path) {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq) || seq.flow) throw new Error(`${path.join('.')} is not a block list`);
  return seq;
}

export function removeItem(text, path, index) {
  const seq = blockSeq(parse(text), path);
  if (!seq.items[index]) return text;
  const { start, end } = itemSpan(text, seq, index);
  return splice(text, start, end, '');
}

/** Swaps item `index` with its neighbour (`by` -1: up, +1: down), each with its comments. */
export function moveItem(text, path, index, by) {
  const seq = blockSeq(parse(text), path);
  const other = index + by;
  if (!seq.items[index] || !seq.items[other]) return text;
  const [first, second] = [itemSpan(text, seq, Math.min(index, other)), itemSpan(text, seq, Math.max(index, other))];
  const a = text.slice(first.start, first.end);
  const b = text.slice(second.start, second.end);
  const between = text.slice(first.end, second.start);
  return text.slice(0, first.start) + b + between + a + text.slice(second.end);
}

/** Appends an item (a map written in block style with flow values inside, or one value) to a block sequence. */
export function appendItem(text, path, value) {
  const seq = blockSeq(parse(text), path);
  const last = seq.items[seq.items.length - 1];
  if (!last) throw new Error(`${path.join('.')} is empty: add the first item in the code editor`);
  const indent = ' '.repeat(last.range[0] - 2 - lineStart(text, last.range[0]));
  const isMapValue = value !== null && typeof value === 'object' && !Array.isArray(value);
  const lines = isMapValue
    ? Object.entries(value).map(([key, v], i) => `${indent}${i === 0 ? '- ' : '  '}${key}: ${render(v, undefined, false)}\n`)
    : [`${indent}- ${render(value, undefined, false)}\n`];
  const at = lineEnd(text, last.range[1] - 1);
  const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return splice(text, at, at, newline + lines.join(''));
}

/** Adds a value to a list whatever its style; a missing list is created in flow style. */
export function appendToList(text, path, value) {
  const node = parse(text).getIn(path, true);
  if (isSeq(node) && !node.flow && node.items.length > 0) return appendItem(text, path, value);
  return setValue(text, path, [...(isSeq(node) ? node.toJSON() : []), value]);
}

/** Removes a list's item whatever its style; the key goes when the list is left empty. */
export function removeFromList(text, path, index) {
  const node = parse(text).getIn(path, true);
  if (!isSeq(node)) return text;
  if (node.items.length <= 1) return setValue(text, path, undefined);
  if (!node.flow) return removeItem(text, path, index);
  return setValue(
    text,
    path,
    node.toJSON().filter((_, i) => i !== index),
  );
}
