// The live schemas the pickers offer, read once per page load: HubSpot's contact properties and the fields of
// the Salesforce object the mapping writes. A schema that cannot be read leaves the pickers with what the file says.
import { api } from './api.js';

const cache = new Map();

function load(key, path) {
  if (!cache.has(key)) {
    const pending = api('GET', path).catch((error) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, pending);
  }
  return cache.get(key);
}

export async function liveSchemas(object = 'Lead') {
  const [hubspot, salesforce] = await Promise.allSettled([
    load('hubspot', '/api/schemas/hubspot/contact-properties'),
    load(`salesforce:${object}`, `/api/schemas/salesforce/${encodeURIComponent(object)}`),
  ]);
  return {
    properties: hubspot.status === 'fulfilled' ? hubspot.value.properties : [],
    fields: salesforce.status === 'fulfilled' ? salesforce.value.fields : [],
    problems: [hubspot, salesforce].filter((r) => r.status === 'rejected').map((r) => r.reason.message),
  };
}

/** "Job Title (jobtitle) · string": what a picker option says. */
export const describeProperty = (p) => `${p.label === p.name ? p.name : `${p.label} (${p.name})`} · ${p.type}`;
export const describeField = (f) => `${f.label === f.name ? f.name : `${f.label} (${f.name})`} · ${f.type}`;
