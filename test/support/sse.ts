/** One Server-Sent Events frame as a client sees it. */
export interface SseFrame {
  id?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Frames received so far. */
  frames: SseFrame[];
  /** The last `id` received, as EventSource keeps it for `Last-Event-ID`. */
  lastEventId(): string | undefined;
  /** Events (frames with data), parsed as JSON. */
  events(): any[];
  close(): void;
}

/** Opens an SSE stream with fetch and parses frames in the background, as an EventSource would. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  let lastId: string | undefined;
  if (response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame: SseFrame = {};
            for (const line of buffer.slice(0, end).split('\n')) {
              if (line.startsWith(':')) frame.comment = line.slice(1).trim();
              else if (line.startsWith('id: ')) frame.id = line.slice(4);
              else if (line.startsWith('data: '))
                frame.data = (frame.data ? `${frame.data}\n` : '') + line.slice(6);
              else if (line.startsWith('retry: ')) frame.retry = Number(line.slice(7));
            }
            if (frame.id !== undefined) lastId = frame.id;
            frames.push(frame);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // closed by us or by the server
      }
    })();
  }
  return {
    status: response.status,
    headers: response.headers,
    frames,
    lastEventId: () => lastId,
    events: () => frames.filter((frame) => frame.data !== undefined).map((frame) => JSON.parse(frame.data!)),
    close: () => controller.abort(),
  };
}
