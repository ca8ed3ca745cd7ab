import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HANDOFF_NOTIFICATION_TYPE } from '../../../src/simulators/salesforce/server.ts';
import { childText, METADATA_NS, readXml, SOURCE_DIR } from './support/sfdx-package.ts';

/**
 * Metadata API Developer Guide, "CustomNotificationType": a `.notiftype` file in notificationtypes/ with the required
 * customNotifTypeName (≤ 80 characters), desktop, masterLabel and mobile. The simulator's default type must be the
 * one the package deploys.
 */
const DIR = join(SOURCE_DIR, 'notificationtypes');

describe('notification type of salesforce-metadata/', () => {
  const files = readdirSync(DIR);

  it('ships exactly the type the simulator offers by default', () => {
    expect(files).toEqual([`${HANDOFF_NOTIFICATION_TYPE.developerName}.notiftype-meta.xml`]);
  });

  it('has every required field, and the same name and channels as the simulator', () => {
    const root = readXml(join(DIR, files[0] ?? ''));
    expect(root.name).toBe('CustomNotificationType');
    expect(root.attributes.xmlns).toBe(METADATA_NS);
    const name = childText(root, 'customNotifTypeName');
    expect(name).toBe(HANDOFF_NOTIFICATION_TYPE.name);
    expect((name ?? '').length).toBeLessThanOrEqual(80);
    expect(childText(root, 'masterLabel')).toBe(HANDOFF_NOTIFICATION_TYPE.name);
    expect(childText(root, 'desktop')).toBe(String(HANDOFF_NOTIFICATION_TYPE.desktop));
    expect(childText(root, 'mobile')).toBe(String(HANDOFF_NOTIFICATION_TYPE.mobile));
    expect((childText(root, 'description') ?? '').length).toBeLessThanOrEqual(255);
  });
});
