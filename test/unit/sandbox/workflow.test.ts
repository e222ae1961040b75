import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOutputFile } from '../../../src/sandbox/runner.js';
import {
  type ExprContext,
  evaluateIf,
  interpolate,
  parseWorkflow,
  pushTriggers,
} from '../../../src/sandbox/workflow.js';

const example = parseWorkflow(readFileSync('examples/infra-repo/.github/workflows/failover.yml', 'utf8'));
const push = (failed = false): ExprContext => ({
  github: { event_name: 'push', head_ref: '', token: 'ghs_x' },
  steps: { failover: { outputs: { verified: 'true', 'changed-services': 'checkout' }, outcome: 'success' } },
  failed,
});

describe('the sandbox runner reads the example workflow as GitHub does', () => {
  it('a push to main that changes envs/** triggers it; other branches or paths do not', () => {
    expect(pushTriggers(example, 'main', ['envs/prod/failover.auto.tfvars.json'])).toBe(true);
    expect(pushTriggers(example, 'main', ['README.md'])).toBe(false);
    expect(pushTriggers(example, 'failover/checkout', ['envs/prod/failover.auto.tfvars.json'])).toBe(false);
  });

  it('on push runs the apply job and skips the plan job', () => {
    expect(evaluateIf(push(), example.jobs.apply?.if)).toBe(true);
    expect(evaluateIf(push(), example.jobs.plan?.if)).toBe(false);
    const pr: ExprContext = {
      ...push(),
      github: { event_name: 'pull_request', head_ref: 'failover/checkout' },
    };
    expect(evaluateIf(pr, example.jobs.plan?.if)).toBe(true);
    expect(evaluateIf(pr, example.jobs.apply?.if)).toBe(false);
  });

  it('steps without an if stop after a failure; always() still runs', () => {
    expect(evaluateIf(push(true), undefined)).toBe(false);
    expect(evaluateIf(push(true), 'always()')).toBe(true);
    expect(evaluateIf(push(false), 'failure()')).toBe(false);
  });

  it('interpolates github.* and step outputs, and names what it cannot evaluate', () => {
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: these are GitHub expressions, not JS templates
    expect(interpolate(push(), 'v=${{ steps.failover.outputs.verified }} t=${{ github.token }}')).toBe(
      'v=true t=ghs_x',
    );
    expect(interpolate(push(), 'c=${{ steps.failover.outputs.changed-services }}')).toBe('c=checkout');
    expect(() => interpolate(push(), '${{ secrets.TOKEN }}')).toThrow(/does not evaluate "secrets.TOKEN"/);
    expect(() => evaluateIf(push(), "contains(github.ref, 'x')")).toThrow(/does not evaluate/);
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: end
  });

  it('reads GITHUB_OUTPUT in both forms @actions/core writes', () => {
    const text = 'plain=1\nmulti<<ghadelimiter_1\nline one\nline two\nghadelimiter_1\nempty=\n';
    expect(parseOutputFile(text)).toEqual({ plain: '1', multi: 'line one\nline two', empty: '' });
  });
});
