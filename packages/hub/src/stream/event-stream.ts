import type { ServerResponse } from 'node:http';
import type { Wakeup } from '@tillstream/kernel';
import { type Db } from '@tillstream/kernel';
import { readLog } from '../events/event-log.reader.js';
import type { EventTail } from './event-tail.js';

/** Events written per read; a client far behind catches up in pages of this size. */
const PAGE = 500;
/** Reconnection delay suggested to EventSource clients, in ms. */
const RETRY_MS = 2000;

export interface StreamOptions {
  db: Db;
  tail: EventTail;
  response: ServerResponse;
  cursor: number;
  patterns: readonly string[];
  heartbeatMs: number;
  /** True once the client went away or the server is closing. */
  closed(): boolean;
  wakeup: Wakeup;
}

async function write(response: ServerResponse, chunk: string): Promise<void> {
  if (response.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Writes the log as Server-Sent Events from a cursor until the client leaves: each event is one `message`
 * whose `id` is its log position, so a reconnecting EventSource resumes with `Last-Event-ID`. While idle a
 * comment line every `heartbeatMs` keeps proxies from closing the connection; it carries an `id` too, so a
 * filtered stream resumes past the events it skipped.
 */
export async function streamEvents(options: StreamOptions): Promise<void> {
  const { response } = options;
  let cursor = options.cursor;
  let announced = cursor;
  const stop = options.tail.follow(options.wakeup);
  try {
    await write(response, `retry: ${RETRY_MS}\n\n`);
    let lastWrite = Date.now();
    while (!options.closed()) {
      const page = await readLog(options.db, { after: cursor, limit: PAGE, patterns: options.patterns });
      for (const entry of page.entries) {
        await write(response, `id: ${entry.position}\ndata: ${entry.envelope}\n\n`);
        announced = entry.position;
      }
      cursor = page.next;
      if (page.entries.length > 0) lastWrite = Date.now();
      if (page.entries.length === PAGE) continue;
      const idleMs = Date.now() - lastWrite;
      if (idleMs >= options.heartbeatMs) {
        await write(response, announced === cursor ? ': heartbeat\n\n' : `: heartbeat\nid: ${cursor}\n\n`);
        announced = cursor;
        lastWrite = Date.now();
        continue;
      }
      await options.wakeup.wait(options.heartbeatMs - idleMs);
    }
  } finally {
    stop();
  }
}
