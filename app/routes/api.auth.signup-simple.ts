// The original UI's alias for POST /api/auth/signup.
export { action, loader } from './api.auth.signup';
