/**
 * The fake LMS on its own, for trying the LTI launch on a laptop:
 *   npm run lti:platform -- [--port 9600] [--host 127.0.0.1] [--tool http://127.0.0.1:3000]
 * prints the registration an admin pastes into ClassCast (/admin/lti) and the course pages to
 * open (the tool must have that registration before a launch works). See tools/lti-platform.
 */
import { parseArgs } from 'node:util';
import { startFakePlatform } from '../tools/lti-platform';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9600' },
    host: { type: 'string', default: '127.0.0.1' },
    tool: { type: 'string', default: 'http://127.0.0.1:3000' },
  },
});
const platform = await startFakePlatform({ toolUrl: values.tool, port: Number(values.port), host: values.host });
console.log(`Fake LMS at ${platform.url} for the tool at ${values.tool}.\n`);
console.log('Register it in ClassCast (Admin → LTI platforms, or POST /api/lti/platforms):\n');
console.log(JSON.stringify(platform.registration, null, 2));
console.log('\nThen open a course page (instructor, then a student):');
console.log(`  deep link:  ${platform.launchUrl({ user: 'instructor', kind: 'deepLink' })}`);
console.log(`  instructor: ${platform.launchUrl({ user: 'instructor', kind: 'resource' })}`);
console.log(`  student:    ${platform.launchUrl({ user: 'student', kind: 'resource' })}`);
console.log(`Users: ${Object.keys(platform.users).join(', ')}`);
const stop = () => void platform.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
