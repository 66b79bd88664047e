import { describe, expect, it } from 'vitest';
import { namedPath } from './pages-scene';

describe('namedPath', () => {
  it.each([
    ['/courses/01JAAA/grading', '/courses/:courseId/grading'],
    ['/videos/01JBBB', '/videos/:videoId'],
    ['/submissions/01JBBB', '/submissions/:submissionId'],
    ['/messages/01JCCC', '/messages/:userId'],
    ['/community?courseId=01JAAA', '/community?courseId=:courseId'],
    ['/api/messaging/messages?userId1=01JC&userId2=01JD', '/api/messaging/messages?userId1=:userId&userId2=:userId'],
    ['/api/community/posts?courseId=01JAAA', '/api/community/posts?courseId=:courseId'],
    ['/dashboard', '/dashboard'],
  ])('%s → %s', (p, expected) => {
    expect(namedPath(p)).toBe(expected);
  });
});
