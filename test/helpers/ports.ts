export { freePort, waitFor } from '../../src/sandbox/ports.js';
