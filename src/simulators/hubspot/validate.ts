import type { PropertyDefinition } from './properties.ts';
import { SimHttpError } from './types.ts';

interface PropertyError {
  message: string;
  code: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE' | 'INVALID_OPTION';
  name: string;
}

/**
 * Values for a create or update, checked as HubSpot's CRM objects API does: every name must be a property of
 * the object (default or custom), writable, and, for dropdowns, one of its options. Anything else fails the
 * whole request with 400 VALIDATION_ERROR. The body follows HubSpot's documented error shape (error handling
 * guide: `category`, `message`, `errors[]` with `code` and `context.propertyName`), and its message carries
 * the per-property list as real portals do ("Property values were not valid: [{…"error":"PROPERTY_DOESNT_EXIST"…}]").
 * Strings only: HubSpot takes numbers and booleans as their text.
 */
export function validateValues(
  definitions: ReadonlyMap<string, PropertyDefinition>,
  readOnly: ReadonlySet<string>,
  properties: Record<string, unknown>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: PropertyError[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    const definition = definitions.get(name);
    if (!definition) {
      problems.push({ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', name });
    } else if (readOnly.has(name)) {
      problems.push({ message: `"${name}" is a read only property; its value cannot be set.`, code: 'READ_ONLY_VALUE', name });
    } else if (definition.options?.length && value !== '' && !definition.options.some((option) => option.value === value)) {
      problems.push({ message: `${value} was not one of the allowed options`, code: 'INVALID_OPTION', name });
    } else {
      values[name] = value;
    }
  }
  if (problems.length === 0) return values;
  const detail = problems.map((p) => ({ isValid: false, message: p.message, error: p.code, name: p.name }));
  throw new SimHttpError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(detail)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  });
}
