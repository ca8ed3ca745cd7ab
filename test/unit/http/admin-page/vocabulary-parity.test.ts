import { describe, expect, it } from '@jest/globals';
import { OPERANDS as CORE_OPERANDS } from '../../../../src/core/definitions/conditions.ts';
import { SIMPLE_TRANSFORMS as CORE_TRANSFORMS } from '../../../../src/core/field-mapping/transforms.ts';
import { HUBSPOT_LIFECYCLE_STAGES } from '../../../../src/core/status-map/status-schema.ts';
import { LIFECYCLE_STAGES, OPERANDS, SIMPLE_TRANSFORMS } from '../../../../src/http/admin-page/static/js/vocabulary.js';

/** The page cannot import core's TypeScript, so it keeps copies of core's closed sets; here they are held equal. */
describe('the admin page offers exactly the closed sets core accepts', () => {
  it('condition operators and their operands', () => {
    expect(OPERANDS).toEqual(CORE_OPERANDS);
  });
  it('parameterless transforms', () => {
    expect(SIMPLE_TRANSFORMS).toEqual([...CORE_TRANSFORMS]);
  });
  it('HubSpot lifecycle stages', () => {
    expect(LIFECYCLE_STAGES).toEqual([...HUBSPOT_LIFECYCLE_STAGES]);
  });
});
