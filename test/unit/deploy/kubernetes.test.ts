// deploy/kubernetes: every manifest validated against the Kubernetes schemas (kubernetes-models), the
// ServiceMonitor (a Prometheus Operator CRD, no schema here) checked for the shape the operator needs,
// and the promises of docs/production.md checked field by field: 2 replicas, probes on /healthz, a
// PodDisruptionBudget, non-root and read-only, resource requests, secrets from the Secret, /metrics scraped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const DIR = 'deploy/kubernetes';
// biome-ignore lint/suspicious/noExplicitAny: manifests are navigated freely; the schemas check the types
type Obj = Record<string, any>;

function load(file: string): Obj {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  expect(docs, `${file} holds one document`).toHaveLength(1);
  expect(docs[0]!.errors).toEqual([]);
  return docs[0]!.toJS() as Obj;
}

const deployment = load('deployment.yaml');
const service = load('service.yaml');
const pdb = load('pdb.yaml');
const monitor = load('servicemonitor.yaml');
const secret = load('secret.example.yaml');
const container = deployment.spec.template.spec.containers[0] as Obj;
const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;

/** Whether a label selector's matchLabels select `labels`. */
const selects = (selector: Obj, labels: Record<string, string>) =>
  Object.keys(selector.matchLabels ?? selector).length > 0 &&
  Object.entries((selector.matchLabels ?? selector) as Record<string, string>).every(
    ([k, v]) => labels[k] === v,
  );

describe('deploy/kubernetes', () => {
  it('validates every built-in kind against the Kubernetes schemas', () => {
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    expect(() => new Service(service as never).validate()).not.toThrow();
    expect(() => new PodDisruptionBudget(pdb as never).validate()).not.toThrow();
    expect(() => new Secret(secret as never).validate()).not.toThrow();
  });

  it('the schema validation is real: a broken manifest is refused', () => {
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it('runs 2 replicas, selected by their own labels, with probes on /healthz', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(selects(deployment.spec.selector, podLabels)).toBe(true);
    const port = (container.ports as Obj[]).find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(3000);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('never lets a voluntary disruption take both replicas', () => {
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(selects(pdb.spec.selector, podLabels)).toBe(true);
  });

  it('runs non-root with a read-only root filesystem, no privilege escalation, no capabilities', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // The only writable path is an emptyDir.
    const tmp = (pod.volumes as Obj[]).find((v) => v.name === 'tmp');
    expect(tmp?.emptyDir).toBeDefined();
  });

  it('requests CPU and memory, and limits memory', () => {
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('takes the App and alert secrets from the Secret, which names every variable the bot needs', () => {
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    const plainEnv = (container.env as Obj[]).map((e) => e.name as string);
    for (const name of [
      'APP_ID',
      'PRIVATE_KEY',
      'WEBHOOK_SECRET',
      'FAILOVER_ALERT_TOKENS',
      'FAILOVER_MARKER_KEY',
    ]) {
      expect(Object.keys(secret.stringData)).toContain(name);
      expect(plainEnv).not.toContain(name);
    }
    expect(plainEnv).toEqual(expect.arrayContaining(['NODE_ENV', 'HOST', 'PORT']));
  });

  it('exposes the pods through the Service, and the ServiceMonitor scrapes /metrics on its port', () => {
    expect(selects(service.spec.selector, podLabels)).toBe(true);
    const servicePort = (service.spec.ports as Obj[]).find((p) => p.targetPort === 'http');
    expect(servicePort?.name).toBe('http');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.kind).toBe('ServiceMonitor');
    expect(monitor.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(selects(monitor.spec.selector, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({
        port: servicePort?.name,
        path: '/metrics',
        interval: expect.stringMatching(/^\d+s$/),
      }),
    ]);
  });

  it('kustomization.yaml lists every manifest except the example Secret', () => {
    const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as Obj;
    expect(kustomization.resources).toEqual([
      'deployment.yaml',
      'service.yaml',
      'pdb.yaml',
      'servicemonitor.yaml',
    ]);
  });
});
