import type { Migration } from '@tillstream/kernel';

export const hubMigrations: Migration[] = [
  {
    id: '001_event_index',
    up: {
      sqlite: `
        CREATE TABLE events (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          source TEXT NOT NULL,
          envelope TEXT NOT NULL
        );`,
      postgres: `
        CREATE TABLE events (
          position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          event_id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          source TEXT NOT NULL,
          envelope TEXT NOT NULL
        );`,
    },
  },
];
