// Which parts of the world a decision needs read: the health of every target of each concerned service
// (and of its group's members, since one member's target down blocks the group). Pure; the host reads.
import type { ChatCommand, FailoverConfig, Signal } from '../types.js';
import { groupOf } from './context.js';
import { routeSignals } from './route.js';

export interface HealthPair {
  service: string;
  target: string;
}

/** Every target of the named services and their groups' members, once each, in config order. */
export function healthPairs(config: FailoverConfig, services: string[]): HealthPair[] {
  const names = new Set<string>();
  for (const name of services) {
    const groupName = name.startsWith('group-') ? name.slice('group-'.length) : undefined;
    const members =
      groupName && config.groups[groupName] ? config.groups[groupName] : groupOf(config, name)?.members;
    for (const m of members ?? [name]) if (m in config.services) names.add(m);
  }
  return Object.entries(config.services)
    .filter(([name]) => names.has(name))
    .flatMap(([service, svc]) => svc.targets.map((target) => ({ service, target })));
}

/** The services a notification's signals concern. */
export function servicesOfSignals(config: FailoverConfig, signals: Signal[]): string[] {
  return [...routeSignals(config, signals).keys()];
}

/** The services a command concerns (every service when it names none and could mean any). */
export function servicesOfCommand(config: FailoverConfig, command: ChatCommand): string[] {
  if (command.verb === 'help' || command.verb === 'status' || command.verb === 'cancel') return [];
  return command.service ? [command.service] : Object.keys(config.services);
}
