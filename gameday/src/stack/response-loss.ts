/**
 * The local edge's response-dropping fault, armed per drill: requests that match reach the API, which answers and
 * commits, and then the client's connection is reset instead of the answer forwarded — responses lost on their way
 * back. Pass `faults` to the drill's edge (`startSystem({ edgeFaults })`).
 */
import type { IncomingMessage } from 'node:http';
import type { EdgeOptions } from '@innovate/local/src/edge/server.ts';

export interface SeenRequest {
  /** Date.now() when the request reached the edge. */
  at: number;
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** Whether the edge dropped the answer. */
  dropped: boolean;
}

export class ResponseLoss {
  private match: (req: IncomingMessage) => boolean = () => false;
  private healed: () => boolean = () => true;
  /** Every request that matched the armed fault, dropped or not, in order. */
  readonly matched: SeenRequest[] = [];
  /** For the edge's options. */
  readonly faults: NonNullable<EdgeOptions['faults']> = { dropResponse: (req) => this.decide(req) };

  /**
   * Breaks the way back for requests that match, until `healed()` turns true: the answers to every matching request
   * that arrives before then are dropped. Not a count: a browser resends a request on its own, at once, when a reused
   * keep-alive connection is reset before the answer, so a count of one would be spent on the first try and the
   * browser's resend would hide the loss from the page. The drill heals the edge when the page has seen the loss.
   * Replaces what was armed before.
   */
  dropAnswers(match: (req: IncomingMessage) => boolean, until: () => boolean): void {
    this.match = match;
    this.healed = until;
  }

  private decide(req: IncomingMessage): boolean {
    if (!this.match(req)) return false;
    const now = Date.now();
    const dropped = !this.healed();
    const key = req.headers['idempotency-key'];
    this.matched.push({
      at: now,
      method: req.method ?? '?',
      path: req.url ?? '',
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      dropped,
    });
    return dropped;
  }
}
