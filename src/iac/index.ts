export { IacError, type IacStep } from './errors.js';
export type { ExecFn, ExecOptions, ExecResult } from './exec.js';
export { spawnExec } from './exec.js';
export { PLAN_RENDER_LIMIT } from './plan-render.js';
export type {
  AttributeChange,
  ChangeAction,
  CheckSummary,
  OutputChangeSummary,
  PlanCounts,
  PlanSummary,
  ResourceChangeSummary,
} from './plan-summary.js';
export { renderPlanSummary, summarisePlan } from './plan-summary.js';
export type {
  IacPlanResult,
  IacRunner,
  IacRunnerOptions,
  IacStepLog,
  IacStepResult,
  IacTool,
} from './runner.js';
export { createIacRunner } from './runner.js';
