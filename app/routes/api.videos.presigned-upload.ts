// The original UI's alias for POST /api/videos/upload.
export { action, loader } from './api.videos.upload';
