/** The scripts promote.yml's delivery runs: which environments a merge re-pinned, and when an image counts as live. */
import { describe, expect, it } from 'vitest';
import { changedPins } from '../scripts/changed-pins.ts';
import { isLive } from '../scripts/wait-live.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const images = (dev: string, staging: string, prod: string) =>
  `api:\n  dev: { digest: "${dev}" }\n  staging: { digest: "${staging}" }\n  prod: { digest: "${prod}" }\n`;

describe('changed-pins', () => {
  const envs = ['dev', 'staging', 'prod'];

  it('names only the environment whose digest the merge changed', () => {
    const before = images(digest('a'), digest('b'), digest('c'));
    expect(changedPins(before, images(digest('a'), digest('a'), digest('c')), envs)).toEqual({
      dev: false,
      staging: true,
      prod: false,
    });
  });

  it('counts every environment as changed when there is no previous file', () => {
    expect(changedPins(undefined, images(digest('a'), digest('a'), digest('a')), envs)).toEqual({
      dev: true,
      staging: true,
      prod: true,
    });
  });
});

describe('wait-live', () => {
  const live = digest('d');
  const old = digest('e');

  it('is live only after ten consecutive answers with the pinned digest', () => {
    expect(isLive(Array(9).fill(live), live)).toBe(false);
    expect(isLive(Array(10).fill(live), live)).toBe(true);
  });

  it('is not live while a canary still lets the previous image answer, or the URL fails', () => {
    expect(isLive([...Array(9).fill(live), old], live)).toBe(false);
    expect(isLive([...Array(9).fill(live), undefined], live)).toBe(false);
  });
});
