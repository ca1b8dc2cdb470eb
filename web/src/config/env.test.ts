import { describe, expect, it } from 'vitest';
import { parseWebConfig } from './env';

describe('parseWebConfig', () => {
  it('defaults to the page’s own origin and a 5 s stale time', () => {
    expect(parseWebConfig({})).toEqual({ apiOrigin: undefined, staleTimeMs: 5000 });
  });

  it('accepts an http(s) origin and normalises it', () => {
    expect(parseWebConfig({ VITE_API_ORIGIN: 'https://api.example.com/' }).apiOrigin).toBe('https://api.example.com');
    expect(parseWebConfig({ VITE_API_ORIGIN: 'http://127.0.0.1:8000' }).apiOrigin).toBe('http://127.0.0.1:8000');
  });

  it.each([
    ['VITE_API_ORIGIN', 'api.example.com', /VITE_API_ORIGIN must be an http\(s\) origin/],
    ['VITE_API_ORIGIN', 'ftp://example.com', /VITE_API_ORIGIN/],
    ['VITE_API_ORIGIN', 'https://example.com/api/v1', /VITE_API_ORIGIN .*without a path/],
    ['VITE_STALE_TIME_MS', 'soon', /VITE_STALE_TIME_MS must be a whole number/],
    ['VITE_STALE_TIME_MS', '-1', /VITE_STALE_TIME_MS/],
    ['VITE_STALE_TIME_MS', '1.5', /VITE_STALE_TIME_MS/],
  ])('rejects %s=%s with an error naming the variable', (name, value, message) => {
    expect(() => parseWebConfig({ [name]: value })).toThrow(message);
  });
});
