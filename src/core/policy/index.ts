// The policy: what alerts and commands mean for each service, with the full decision trace.
export { type DecideInput, decide } from './alerts.js';
export { readCurrent, SEVERITY_RANK } from './context.js';
export { type CommandInput, checkAccess, decideCommand } from './manual.js';
export { mayChangeSoon } from './transient.js';
export {
  allTo,
  baselineWeights,
  configuredSum,
  distribute,
  drain,
  movement,
  restore,
  type Weights,
  weightProblems,
} from './weights.js';
export { type HealthPair, healthPairs, servicesOfCommand, servicesOfSignals } from './world-needs.js';
