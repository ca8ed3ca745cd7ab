import { z } from 'zod';

/** How a test or the sandbox describes an owner; the id and a person's userId are made up when left out. */
export const ownerSeedSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'an owner id is digits without a leading zero')
    .optional(),
  email: z.email().optional(),
  type: z.enum(['PERSON', 'QUEUE']).default('PERSON'),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  userId: z.number().int().positive().optional(),
  /** A deactivated user's owner: HubSpot answers it only when asked with `archived=true`. */
  archived: z.boolean().default(false),
  teams: z.array(z.strictObject({ id: z.string(), name: z.string(), primary: z.boolean() })).default([]),
});

export type OwnerSeed = z.input<typeof ownerSeedSchema>;
