/** Input rules shared by community posts and their comments (API bodies and page forms). */
import { z } from 'zod';
import { tooLongMessage } from '~/utils/validation';
import { COMMENT_MAX, POST_BODY_MAX, POST_TITLE_MAX } from './community-view';

function requiredText(label: string, max: number) {
  return z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, tooLongMessage(label, max));
}

export const postTitle = requiredText('Title', POST_TITLE_MAX);
export const postBody = requiredText('Post', POST_BODY_MAX);
export const commentContent = requiredText('Comment', COMMENT_MAX);

/**
 * A yes/no from JSON (true/false) or from an HTML form: a checked checkbox sends "on", a
 * hidden field "true"/"false". Anything else is a 400, never quietly false.
 */
export const flag = z.union(
  [z.boolean(), z.enum(['true', 'on', '1']).transform(() => true), z.enum(['false', '0']).transform(() => false)],
  { error: 'Must be true or false.' },
);

/** An id from a path or a body: a non-empty string of sane length (unknown ids are 404 later). */
export const idField = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(200, `${label} is not valid.`);
