/** Shared by the server guard and the form component (which may not import *.server). */
export const CSRF_FIELD = '_csrf';
