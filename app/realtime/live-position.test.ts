import { describe, expect, it } from 'vitest';
import { compareLivePositions, decodeLivePosition, encodeLivePosition } from './live-position';

describe('live positions (the stream ids)', () => {
  const position = { at: '2026-12-01T17:00:00.000Z', id: 'ntf_01JABC' };

  it('round-trips, including the time-only marker', () => {
    expect(decodeLivePosition(encodeLivePosition(position))).toEqual(position);
    expect(decodeLivePosition(encodeLivePosition({ at: position.at, id: '' }))).toEqual({ at: position.at, id: '' });
  });

  it.each([
    'not a token!',
    '',
    Buffer.from('["2026-12-01T17:00:00Z","x"]').toString('base64url'),
    Buffer.from('["yesterday","x"]').toString('base64url'),
    Buffer.from('{"at":"2026-12-01T17:00:00.000Z","id":"x"}').toString('base64url'),
    Buffer.from('["2026-12-01T17:00:00.000Z",5]').toString('base64url'),
    'a'.repeat(401),
  ])('rejects %s', (token) => {
    expect(decodeLivePosition(token)).toBeNull();
  });

  it('orders by time, then id', () => {
    expect(compareLivePositions(position, { ...position, id: 'ntf_01JABD' })).toBe(-1);
    expect(compareLivePositions({ at: '2026-12-01T17:00:01.000Z', id: 'a' }, position)).toBe(1);
    expect(compareLivePositions(position, { ...position })).toBe(0);
  });
});
