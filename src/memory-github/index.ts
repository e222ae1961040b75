// The in-memory GitHub: a product component with GitHub's semantics (REST and the GraphQL operations the
// port sends) served over real HTTP, with latency and fault injection. It powers `failover test`, the
// sandbox, the benchmarks and the tests; nothing here talks to the real GitHub.

export { type MemoryClient, MemoryGraphqlError, MemoryRequestError, memoryClient } from './client.js';
export { commitObjects, type GitObject } from './git-objects.js';
export {
  type CallRecord,
  type DoubleOptions,
  type Fault,
  type FaultPlan,
  type GitHubDouble,
  startGitHubDouble,
} from './server.js';
export {
  APP_BOT,
  APP_PERMISSIONS,
  type Commit,
  DoubleState,
  type DoubleStateOptions,
  type Issue,
  type PermissionLevel,
  type Person,
  type Pull,
  type RepoFlags,
  type RepoState,
  type Role,
} from './state.js';
export { deliverWebhooks, onWebhook, type WebhookDelivery, type WebhookSender } from './webhooks.js';
