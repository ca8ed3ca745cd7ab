/**
 * The org's directory objects as the Object Reference for the Salesforce Platform describes them (User, Group,
 * QueueSobject, AssignmentRule, CustomNotificationType), with the standard fields owner routing reads. They are
 * setup data: the REST API reads them, and the simulator fills them from its options (see directory.ts), so every
 * field here is read-only.
 */

import { f, type ObjectDef, ro } from './field-def.ts';

const id = () => f('Id', 'id', { ...ro, length: 18 });
const stamp = () => f('SystemModstamp', 'datetime', ro);

/** User (key prefix 005): Name is FirstName + LastName; UserType 'Standard' for a full Salesforce licence. */
function userObject(): ObjectDef {
  return {
    name: 'User',
    label: 'User',
    keyPrefix: '005',
    fields: [
      id(),
      f('Username', 'string', { ...ro, length: 80 }),
      f('FirstName', 'string', { ...ro, length: 40 }),
      f('LastName', 'string', { ...ro, length: 80 }),
      f('Name', 'string', { ...ro, length: 121, label: 'Full Name' }),
      f('Email', 'email', { ...ro, length: 128 }),
      f('IsActive', 'boolean', { ...ro, label: 'Active' }),
      f('ManagerId', 'reference', { ...ro, referenceTo: ['User'], length: 18 }),
      f('UserType', 'picklist', { ...ro, picklistValues: ['Standard', 'AutomatedProcess'], restrictedPicklist: true }),
      stamp(),
    ],
  };
}

/** Group (key prefix 00G): a queue is a Group whose Type is 'Queue'; DeveloperName is its API name. */
function groupObject(): ObjectDef {
  return {
    name: 'Group',
    label: 'Group',
    keyPrefix: '00G',
    fields: [
      id(),
      f('Name', 'string', { ...ro, length: 40, label: 'Label' }),
      f('DeveloperName', 'string', { ...ro, length: 80, label: 'Developer Name' }),
      f('Type', 'picklist', { ...ro, picklistValues: ['Queue', 'Regular', 'Role'], restrictedPicklist: true }),
      f('Email', 'email', { ...ro, length: 255 }),
      stamp(),
    ],
  };
}

/** QueueSobject (key prefix 03g): one row per object type a queue may own; no row for Lead, no Leads. */
function queueSobjectObject(): ObjectDef {
  return {
    name: 'QueueSobject',
    label: 'Queue Sobject',
    keyPrefix: '03g',
    fields: [
      id(),
      f('QueueId', 'reference', { ...ro, referenceTo: ['Group'], length: 18, label: 'Group ID' }),
      f('SobjectType', 'picklist', { ...ro, picklistValues: ['Lead', 'Case'], length: 40, label: 'sObject Type' }),
      stamp(),
    ],
  };
}

/** AssignmentRule (key prefix 01Q): at most one Active rule per SobjectType. */
function assignmentRuleObject(): ObjectDef {
  return {
    name: 'AssignmentRule',
    label: 'Assignment Rule',
    keyPrefix: '01Q',
    fields: [
      id(),
      f('Name', 'string', { ...ro, length: 120, label: 'Rule Name' }),
      f('SobjectType', 'picklist', { ...ro, picklistValues: ['Case', 'Lead'], restrictedPicklist: true }),
      f('Active', 'boolean', ro),
      stamp(),
    ],
  };
}

/** CustomNotificationType (key prefix 0ML, API 47.0+): what the Custom Notification action names by Id. */
function customNotificationTypeObject(): ObjectDef {
  return {
    name: 'CustomNotificationType',
    label: 'Custom Notification Type',
    keyPrefix: '0ML',
    fields: [
      id(),
      f('DeveloperName', 'string', { ...ro, length: 80, label: 'Name' }),
      f('CustomNotifTypeName', 'string', { ...ro, length: 80, label: 'Name' }),
      f('MasterLabel', 'string', { ...ro, length: 80, label: 'Label' }),
      f('Description', 'textarea', { ...ro, length: 255 }),
      f('Desktop', 'boolean', ro),
      f('Mobile', 'boolean', ro),
      stamp(),
    ],
  };
}

export function directoryObjects(): ObjectDef[] {
  return [userObject(), groupObject(), queueSobjectObject(), assignmentRuleObject(), customNotificationTypeObject()];
}
