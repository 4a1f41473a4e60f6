import type { BrowserContext, Page, Response } from 'playwright-core';

/** One thing the browser received: where from, and its bytes. */
export interface Received {
  /** `GET https://…` for a response body, `ws wss://…` for a WebSocket frame. */
  source: string;
  bytes: Buffer;
}

/**
 * Everything the browsers it watches received: every HTTP response body (the page's requests,
 * its workers' and its service worker's) and every WebSocket frame from the server. For checks
 * over all of it, such as that a secret never reaches the browser.
 */
export class ReceivedLog {
  readonly received: Received[] = [];
  /** Responses whose body could not be read, and why: a check over the bodies would miss them. */
  readonly unread: string[] = [];
  private readonly reading = new Set<Promise<void>>();
  private readonly closing = new WeakSet<BrowserContext>();

  /** Watches a profile's responses and a page's WebSockets; call before `page.goto`. */
  watch(context: BrowserContext, page: Page): void {
    context.on('response', (response) => {
      // What arrives while the profile closes (a late favicon) can no longer be read.
      if (this.closing.has(context)) return;
      const read = this.read(response);
      this.reading.add(read);
      void read.finally(() => this.reading.delete(read));
    });
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => this.received.push({ source: `ws ${socket.url()}`, bytes: Buffer.from(payload) }));
    });
  }

  /** Resolves once every response seen so far has its body read. */
  async settle(): Promise<void> {
    while (this.reading.size > 0) await Promise.all([...this.reading]);
  }

  /** Closes a watched profile once every body it received so far is read. */
  async close(context: BrowserContext): Promise<void> {
    await this.settle();
    this.closing.add(context);
    await context.close();
  }

  /** The sources of everything received that contains `text`. */
  containing(text: string): string[] {
    return this.received.filter((r) => r.bytes.includes(text)).map((r) => r.source);
  }

  private async read(response: Response): Promise<void> {
    const source = `${response.request().method()} ${response.url()}`;
    // A redirect has no body of its own; what it leads to is a response of its own.
    if (response.status() >= 300 && response.status() < 400) return;
    try {
      this.received.push({ source, bytes: await response.body() });
    } catch (e) {
      this.unread.push(`${source}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
