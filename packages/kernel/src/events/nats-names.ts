/**
 * How Tillstream names things on NATS JetStream. With the default prefix, context `pos` has stream
 * `TILLSTREAM_POS` capturing `tillstream.pos.>`, and its event `pos.sale.completed` is published on
 * `tillstream.pos.pos.sale.completed`. The context token keeps each context's subjects inside its own stream
 * whatever the event types are called.
 */
export interface NatsNames {
  stream(context: string): string;
  /** The subject filter of a context's stream (also its consumers' filter). */
  streamSubjects(context: string): string;
  subject(context: string, eventType: string): string;
  /** A durable consumer name for a consumer spec name (NATS forbids `.`, `*`, `>` and whitespace). */
  durable(consumerName: string): string;
}

const PREFIX = /^[A-Za-z0-9_-]+$/;
const CONTEXT = /^[a-z0-9_-]+$/;
const EVENT_TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** FNV-1a, enough to keep two names that sanitize alike (`a.b` and `a_b`) apart. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

function checked(pattern: RegExp, value: string, what: string): string {
  if (!pattern.test(value)) throw new Error(`${what} ${JSON.stringify(value)} cannot be used in a NATS name`);
  return value;
}

/** The names under one prefix; throws for a prefix, context or event type NATS cannot carry. */
export function natsNames(prefix = 'TILLSTREAM'): NatsNames {
  checked(PREFIX, prefix, 'stream prefix');
  const subjectRoot = prefix.toLowerCase();
  return {
    stream: (context) => `${prefix}_${checked(CONTEXT, context, 'context').toUpperCase()}`,
    streamSubjects: (context) => `${subjectRoot}.${checked(CONTEXT, context, 'context')}.>`,
    subject: (context, eventType) => {
      const type = checked(EVENT_TYPE, eventType, 'event type');
      return `${subjectRoot}.${checked(CONTEXT, context, 'context')}.${type}`;
    },
    durable: (consumerName) => {
      if (!consumerName) throw new Error('a consumer needs a name');
      const sanitized = consumerName.replace(/[^A-Za-z0-9_-]/g, '_');
      return sanitized === consumerName ? sanitized : `${sanitized}-${shortHash(consumerName)}`;
    },
  };
}
