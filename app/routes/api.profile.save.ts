/** The original UI's name for POST /api/profile/update. */
export { action, loader } from './api.profile.update';
