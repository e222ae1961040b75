// What every webhook handler does first: trust the payload's installation id for its repo (no lookup),
// and run with Probot's per-event logger, so every line the services write while handling it carries the
// delivery id (`id`). The services take one logger when they are built; it forwards to the logger of the
// event being handled (AsyncLocalStorage), and to the app's outside any event.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServiceLogger } from '../src/service/alerts.js';
import type { InstallationResolver } from './installations.js';

const current = new AsyncLocalStorage<ServiceLogger>();

/** A logger that writes to the current event's logger when there is one. */
export function eventScopedLogger(base: ServiceLogger): ServiceLogger {
  const pick = () => current.getStore() ?? base;
  return {
    info: (obj, msg) => pick().info(obj, msg),
    warn: (obj, msg) => pick().warn(obj, msg),
    error: (obj, msg) => pick().error(obj, msg),
  } as ServiceLogger;
}

interface EventContext {
  log: ServiceLogger;
  payload: { installation?: { id?: number } | null; repository?: { name: string; owner: { login: string } } };
}

/** Runs `handle` in the scope of one webhook delivery. */
export function inEventScope<T>(
  context: EventContext,
  installations: InstallationResolver,
  handle: () => Promise<T>,
): Promise<T> {
  const { installation, repository } = context.payload;
  if (repository && typeof installation?.id === 'number')
    installations.remember(repository.owner.login, repository.name, installation.id);
  return current.run(context.log, handle);
}
