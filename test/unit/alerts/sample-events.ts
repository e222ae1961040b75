// Project-made sample bodies for shapes the shared fixtures do not cover.

/**
 * An EventBridge "CloudWatch Alarm State Change" event, following the single-metric example of the
 * CloudWatch user guide ("Alarm events and EventBridge") with our own names and values.
 */
export function stateChange(value: string, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '111122223333',
    time: '2026-11-26T03:04:40Z',
    region: 'us-east-1',
    resources: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:checkout-alb-5xx'],
    detail: {
      alarmName: 'checkout-alb-5xx',
      configuration: {
        description: 'Checkout ALB answers 5xx',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: {
                dimensions: { LoadBalancer: 'app/checkout/50dc6c495c0c9188' },
                name: 'HTTPCode_ELB_5XX_Count',
                namespace: 'AWS/ApplicationELB',
              },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
      previousState: {
        reason: 'Threshold Crossed: no datapoints',
        timestamp: '2026-11-26T02:00:00.000+0000',
        value: 'OK',
      },
      state: {
        reason: 'Threshold Crossed: 1 datapoint [412.0] > 50',
        timestamp: '2026-11-26T03:04:40.985+0000',
        value,
      },
      ...extra,
    },
  };
}
