// Azure Monitor common alert schema: the parts the shared fixture does not show (Fired, every severity,
// regions, other alert types' context, links), each built from the fixture with one change.
import { describe, expect, it } from 'vitest';
import { detectSource, normaliseNotification } from '../../../src/core/alerts/index.js';
import type { Signal } from '../../../src/core/types.js';
import { loadFixture } from './load-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: each case edits fixture JSON freely, that is the point
type Loose = any;
const FIXTURE = 'other-alerts/azure-monitor-common-schema-metric-resolved.json';

function azure(edit: (body: Loose) => void = () => {}): Loose {
  const body = structuredClone(loadFixture(FIXTURE)) as Loose;
  edit(body);
  return body;
}

function signalOf(body: unknown): Signal {
  const n = normaliseNotification(body);
  expect(n.source).toBe('azure');
  expect(n.signals).toHaveLength(1);
  return n.signals[0] as Signal;
}

/** The fixture as Azure sends it when the alert fires: Fired, no resolvedDateTime yet. */
const fired = () =>
  azure((b) => {
    b.data.essentials.monitorCondition = 'Fired';
    b.data.essentials.resolvedDateTime = null;
  });

describe('azure: Fired and Resolved', () => {
  it('the Fired variant is firing, without endsAt, with the fingerprint of its Resolved notification', () => {
    const firing = signalOf(fired());
    const resolved = signalOf(azure());
    expect(firing.status).toBe('firing');
    expect(firing.endsAt).toBeUndefined();
    expect(firing.startsAt).toBe('2019-03-22T13:58:24.371Z');
    expect(firing.annotations.summary).toBe('WCUS-R2-Gen2: Fired');
    expect(firing.labels).toEqual(resolved.labels);
    expect(firing.fingerprint).toBe(resolved.fingerprint);
  });

  it('the fingerprint ignores the case of the alertId (ARM IDs are case-insensitive) but not its value', () => {
    const upper = azure((b) => {
      b.data.essentials.alertId = b.data.essentials.alertId.toUpperCase();
    });
    const other = azure((b) => {
      b.data.essentials.alertId = b.data.essentials.alertId.replace('eeeeee4e4e4e', 'ffffff4e4e4e');
    });
    expect(signalOf(upper).fingerprint).toBe(signalOf(azure()).fingerprint);
    expect(signalOf(other).fingerprint).not.toBe(signalOf(azure()).fingerprint);
  });

  it('a Resolved alert without resolvedDateTime (log search alerts) has no endsAt', () => {
    const s = signalOf(
      azure((b) => {
        delete b.data.essentials.resolvedDateTime;
      }),
    );
    expect([s.status, s.endsAt]).toEqual(['resolved', undefined]);
  });

  it('times with an offset are converted to UTC', () => {
    const s = signalOf(
      azure((b) => {
        b.data.essentials.firedDateTime = '2026-11-26T04:10:00.5+01:00';
      }),
    );
    expect(s.startsAt).toBe('2026-11-26T03:10:00.500Z');
  });

  it('is detected from data.essentials even without a schemaId, and ?source=azure is accepted', () => {
    const bare = azure((b) => {
      delete b.schemaId;
    });
    expect(detectSource(bare)).toBe('azure');
    expect(normaliseNotification(azure(), 'azure').signals[0]?.status).toBe('resolved');
  });
});

describe('azure: severity', () => {
  it.each([
    ['Sev0', 'critical'],
    ['Sev1', 'error'],
    ['Sev2', 'warning'],
    ['Sev3', 'info'],
    ['Sev4', 'info'],
    ['sev1', 'error'],
  ])('%s → %s, the original kept in annotations.source_severity', (raw, normalised) => {
    const s = signalOf(
      azure((b) => {
        b.data.essentials.severity = raw;
      }),
    );
    expect(s.labels.severity).toBe(normalised);
    expect(s.annotations.source_severity).toBe(raw);
  });

  it('no severity: no label; a custom property cannot replace the alert rule severity', () => {
    const none = signalOf(
      azure((b) => {
        delete b.data.essentials.severity;
      }),
    );
    expect(none.labels.severity).toBeUndefined();
    const custom = signalOf(
      azure((b) => {
        b.data.essentials.severity = 'Sev0';
        b.data.customProperties = { severity: 'low', service: 'checkout' };
      }),
    );
    expect(custom.labels.severity).toBe('critical');
    expect(custom.labels.service).toBe('checkout');
  });
});

describe('azure: resource and region labels', () => {
  it('targetResourceRegion, as a display or programmatic name, becomes the region code', () => {
    const display = azure((b) => {
      b.data.essentials.targetResourceRegion = 'West Europe';
    });
    const code = azure((b) => {
      b.data.essentials.targetResourceRegion = 'eastus2';
    });
    expect(signalOf(display).labels.region).toBe('westeurope');
    expect(signalOf(code).labels.region).toBe('eastus2');
  });

  it('an activity log alert takes the region from properties.resourceLocation', () => {
    const s = signalOf(
      azure((b) => {
        b.data.essentials.signalType = 'Activity Log';
        b.data.essentials.monitoringService = 'Activity Log - Policy';
        b.data.alertContext = {
          operationName: 'Microsoft.Authorization/policies/audit/action',
          eventSource: 'Policy',
          level: 'Warning',
          status: 'Succeeded',
          properties: { resourceLocation: 'eastus2', policies: '[{"huge":"json"}]' },
        };
      }),
    );
    expect(s.labels.region).toBe('eastus2');
    expect(s.annotations).toMatchObject({
      operation_name: 'Microsoft.Authorization/policies/audit/action',
      event_source: 'Policy',
      level: 'Warning',
      event_status: 'Succeeded',
    });
    expect(Object.values(s.annotations).join(' ')).not.toContain('huge');
  });

  it('a service health alert naming one region maps it; a list of regions gives no region label', () => {
    const one = azure((b) => {
      b.data.alertContext = { properties: { title: 'Maintenance', region: 'East US' } };
    });
    const many = azure((b) => {
      b.data.alertContext = { properties: { region: 'East US, West US' } };
    });
    expect(signalOf(one).labels.region).toBe('eastus');
    expect(signalOf(one).annotations.title).toBe('Maintenance');
    expect(signalOf(many).labels.region).toBeUndefined();
  });

  it('without a region in the payload, a "region" custom property routes; it never overrides a derived one', () => {
    const fromCustom = azure((b) => {
      b.data.customProperties = { region: 'westus2' };
    });
    const both = azure((b) => {
      b.data.essentials.targetResourceRegion = 'eastus';
      b.data.customProperties = { region: 'westus2' };
    });
    expect(signalOf(fromCustom).labels.region).toBe('westus2');
    expect(signalOf(both).labels.region).toBe('eastus');
  });

  it('essentials targetResourceGroup/Type win over the ID; nested IDs name the child resource', () => {
    const s = signalOf(
      azure((b) => {
        b.data.essentials.targetResourceGroup = 'PipeLineAlertRG';
        b.data.essentials.alertTargetIDs = [
          '/subscriptions/1111/resourceGroups/db-rg/providers/Microsoft.Sql/servers/sql1/databases/orders',
          '/subscriptions/1111/resourceGroups/db-rg/providers/Microsoft.Sql/servers/sql1/databases/users',
        ];
      }),
    );
    expect(s.labels).toMatchObject({
      resource: 'orders',
      resource_group: 'PipeLineAlertRG',
      subscription: '1111',
      resource_type: 'Microsoft.Sql/servers/databases',
    });
    expect(s.annotations.targets).toBe(
      '/subscriptions/1111/resourceGroups/db-rg/providers/Microsoft.Sql/servers/sql1/databases/orders, ' +
        '/subscriptions/1111/resourceGroups/db-rg/providers/Microsoft.Sql/servers/sql1/databases/users',
    );
  });

  it('without targets, the first configuration item names the resource; long lists are cut', () => {
    const s = signalOf(
      azure((b) => {
        b.data.essentials.alertTargetIDs = null;
        b.data.essentials.configurationItems = ['vm1', 'vm2', 'vm3', 'vm4', 'vm5', 'vm6', 'vm7'];
      }),
    );
    expect(s.labels.resource).toBe('vm1');
    expect(s.labels.subscription).toBeUndefined();
    expect(s.annotations.configuration_items).toBe('vm1, vm2, vm3, vm4, vm5, and 2 more');
  });
});

describe('azure: alert context and links', () => {
  it('a log search (v2) alert summarises its query, cut to 500 characters, and links to the results', () => {
    const query = `Heartbeat | where ${'x'.repeat(600)}`;
    const s = signalOf(
      azure((b) => {
        b.data.essentials.alertId = 'not-an-arm-id';
        b.data.essentials.signalType = 'Log';
        b.data.alertContext = {
          conditionType: 'LogQueryCriteria',
          condition: {
            windowSize: 'PT10M',
            allOf: [
              {
                searchQuery: query,
                operator: 'LowerThan',
                threshold: '1',
                timeAggregation: 'Count',
                metricValue: 0,
                dimensions: [{ name: 'Computer', value: 'web-7' }],
                linkToFilteredSearchResultsUI: 'https://portal.azure.com#@t/blade/LogsBlade/q/abc',
              },
            ],
          },
        };
      }),
    );
    expect(s.annotations.search_query).toBe(`${query.slice(0, 500)}…`);
    expect(s.annotations.condition).toBe('Count LowerThan 1 (value 0)');
    expect(s.labels.Computer).toBe('web-7');
    expect(s.url).toBe('https://portal.azure.com#@t/blade/LogsBlade/q/abc');
  });

  it('many criteria are summarised in one bounded line', () => {
    const s = signalOf(
      azure((b) => {
        const [criterion] = b.data.alertContext.condition.allOf;
        b.data.alertContext.condition.allOf = Array.from({ length: 200 }, () => criterion);
      }),
    );
    expect(s.annotations.condition?.endsWith('; and 195 more')).toBe(true);
    expect(s.annotations.condition?.length).toBeLessThanOrEqual(501);
  });

  it('a Prometheus alert routes on its rule labels; essentials still win', () => {
    const s = signalOf(
      azure((b) => {
        b.data.alertContext = {
          expression: 'sql_up > 0',
          expressionValue: '0',
          labels: { cluster: 'aks-east', alertname: 'NotThisOne' },
          annotations: { summary: 'not this one either', runbook: 'https://runbooks.example.com/sql' },
        };
      }),
    );
    expect(s.labels.cluster).toBe('aks-east');
    expect(s.labels.alertname).toBe('WCUS-R2-Gen2');
    expect(s.annotations.summary).toBe('WCUS-R2-Gen2: Resolved');
    expect(s.annotations.runbook).toBe('https://runbooks.example.com/sql');
    expect(s.annotations.expression).toBe('sql_up > 0');
  });

  it("Azure's investigationLink is preferred; a non-ARM alertId without links has no url", () => {
    const link = azure((b) => {
      b.data.essentials.investigationLink = 'https://portal.azure.com/#view/Investigate/alertId/1';
    });
    const none = azure((b) => {
      b.data.essentials.alertId = 'a0a0a0a0';
    });
    expect(signalOf(link).url).toBe('https://portal.azure.com/#view/Investigate/alertId/1');
    expect(signalOf(none).url).toBeUndefined();
  });

  it('customProperties null and alertContext null are fine', () => {
    const s = signalOf(
      azure((b) => {
        b.data.customProperties = null;
        b.data.alertContext = null;
      }),
    );
    expect(s.labels.Key1).toBeUndefined();
    expect(s.annotations.metric_name).toBeUndefined();
    expect(s.status).toBe('resolved');
  });
});
