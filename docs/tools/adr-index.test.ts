import { describe, expect, it } from 'vitest';
import { readAdr, renderIndex } from './adr-index.ts';

const adr = (status: string, heading = '# 0024 — The ALB admits only CloudFront') =>
  `${heading}\n\n- Status: ${status}\n- Date: 2026-11-28\n`;

describe('the ADR index', () => {
  it('reads the number, the title without its number, and the status', () => {
    expect(readAdr('0024-alb.md', adr('accepted'))).toEqual({
      number: 24,
      file: '0024-alb.md',
      title: 'The ALB admits only CloudFront',
      status: 'accepted',
    });
  });

  it('refuses an ADR without a status, a superseded one without its successor, a number in no block', () => {
    expect(readAdr('0024-alb.md', '# 0024 — Title\n')).toBe('0024-alb.md: no "- Status:" line');
    expect(readAdr('0024-alb.md', adr('superseded'))).toBe(
      '0024-alb.md: superseded, but the status names no successor ADR',
    );
    expect(readAdr('0999-x.md', adr('accepted', '# 0999 — X'))).toBe('0999-x.md: number 999 is in no block');
  });

  it('groups by block and shortens amended and superseded statuses', () => {
    const entries = [
      readAdr('0064-by-name.md', adr('superseded by ADR 0024 (merged into it)', '# 0064 — By name')),
      readAdr('0024-alb.md', adr('accepted (amended 2026-12-03: the Ingress side)')),
    ].filter((entry) => typeof entry !== 'string');
    const index = renderIndex(entries);
    expect(index).toContain('### 0020–0039 AWS infrastructure (CDK)');
    expect(index).toContain('| [0024](0024-alb.md) | The ALB admits only CloudFront | accepted, amended |');
    expect(index).toContain('| [0064](0064-by-name.md) | By name | superseded by ADR 0024 |');
  });
});
