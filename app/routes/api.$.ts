/** Unknown /api paths: a 404 in the JSON envelope, whatever the method (a resource route). */
import { apiError } from '~/utils/api.server';
import { notFound } from '~/utils/errors';

const unknownEndpoint = () => apiError(notFound('That API endpoint'));

export const loader = unknownEndpoint;
export const action = unknownEndpoint;
