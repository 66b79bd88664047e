import { describe, expect, it } from 'vitest';
import type { Notification } from '~/data/repository';
import { isSameOriginPath, notificationLink, notificationText } from './notification-text';

const base: Notification = {
  id: '01J0000000000000000000000A',
  recipientId: 'u-b',
  senderId: 'u-ana',
  senderName: 'Ana Lopez',
  type: 'like',
  title: 'New like on “Osmosis”',
  message: 'Ana Lopez liked your video “Osmosis”.',
  relatedId: 'v1',
  relatedType: 'video',
  actionUrl: '/videos/v1',
  isRead: false,
  createdAt: '2026-12-01T10:00:00.000Z',
  actorCount: 1,
};

describe('notificationText', () => {
  it('keeps the stored sentence for one actor', () => {
    expect(notificationText(base).message).toBe('Ana Lopez liked your video “Osmosis”.');
  });

  it('says how many others joined a collapsed like', () => {
    expect(notificationText({ ...base, actorCount: 5 }).message).toBe(
      'Ana Lopez and 4 others liked your video “Osmosis”.',
    );
    expect(notificationText({ ...base, actorCount: 2 }).message).toBe(
      'Ana Lopez and 1 other liked your video “Osmosis”.',
    );
  });

  it('still reads as a sentence when the stored text does not start with the name', () => {
    const n = { ...base, actorCount: 3, message: 'Someone liked it.', relatedType: 'post' };
    expect(notificationText(n).message).toBe('Ana Lopez and 2 others liked your post.');
  });

  it('collapses only likes', () => {
    const n = { ...base, type: 'comment' as const, actorCount: 3, message: 'Ana Lopez commented: hi' };
    expect(notificationText(n).message).toBe('Ana Lopez commented: hi');
  });
});

describe('notificationLink', () => {
  it('uses a same-origin actionUrl', () => {
    expect(notificationLink(base)).toBe('/videos/v1');
  });

  it.each([
    ['video', 'v1', 'like', '/videos/v1'],
    ['post', 'p1', 'like', '/community/posts/p1'],
    ['submission', 's1', 'grade', '/submissions/s1'],
    ['assignment', 'a1', 'assignment_published', '/assignments/a1'],
    ['connection', 'x_y', 'connection_request', '/connections'],
    [null, null, 'message', '/messages/u-ana'],
    [null, null, 'announcement', '/notifications'],
  ] as const)('without an actionUrl, %s %s (%s) → %s', (relatedType, relatedId, type, link) => {
    expect(notificationLink({ ...base, type, relatedType, relatedId, actionUrl: null })).toBe(link);
  });

  it('never links off-site, even from a stored actionUrl', () => {
    expect(notificationLink({ ...base, actionUrl: 'https://evil.example/x' })).toBe('/videos/v1');
    expect(notificationLink({ ...base, actionUrl: '//evil.example/x' })).toBe('/videos/v1');
  });
});

describe('isSameOriginPath', () => {
  it.each(['/videos/1', '/community/posts/2?x=1#c', '/'])('accepts %s', (p) => expect(isSameOriginPath(p)).toBe(true));
  it.each(['https://x.example/', '//x.example', '/\\x.example', 'javascript:alert(1)', 'videos/1', '/a\nb', ''])(
    'refuses %s',
    (p) => expect(isSameOriginPath(p)).toBe(false),
  );
});
