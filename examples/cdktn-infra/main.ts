// The cdktn app of this infra repo. `cdktn synth` runs it (cdktf.json: `node main.ts`, Node 24 strips
// the types); it reads the failover flags the gitops-failover bot flips and builds two stacks:
//   prod     Route 53 failover and weighted records for checkout and edge-gateway (needs AWS to plan)
//   sandbox  the same flags through built-in resources only, so the whole path runs offline
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktn';
import { readFailoverState } from 'gitops-failover/cdktn';
import { ProdStack } from './stacks/prod.ts';
import { SandboxStack } from './stacks/sandbox.ts';

// The repository root holds .github/failover.yml; here it is the directory of this file.
const repoDir = dirname(fileURLToPath(import.meta.url));
const state = readFailoverState(repoDir);

const app = new App();
new ProdStack(app, 'prod', state);
new SandboxStack(app, 'sandbox', state);
app.synth();
