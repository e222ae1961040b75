// What the runner starts (bundled to dist/action/index.js, action.yml `main`): run the Action once.
// The logic lives in main.ts, which has no side effect on import (tools like @github/local-action import
// it and call run() themselves).
import { run } from './main.js';

await run();
