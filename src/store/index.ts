// The storage layer's public surface: engines, migrations, repositories and the job queue.
export * from './database.ts';
export * from './migrate.ts';
export * from './inbox.ts';
export * from './links.ts';
export * from './history.ts';
export * from './last-written.ts';
export * from './parked.ts';
export * from './job-queue.ts';
export * from './parked-replays.ts';
