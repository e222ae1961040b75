// The same flags through Terraform's built-in resources only (terraform_data and a local-exec
// provisioner): no provider download, no cloud account, so synth → plan → apply runs offline. A flip
// replaces the route resource, and its provisioner writes the new target to routes/<service> in the
// stack folder, the way a real record change would move traffic.
import { DataResource, TerraformOutput, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import type { FailoverState } from 'gitops-failover/cdktn';

export class SandboxStack extends TerraformStack {
  constructor(scope: Construct, id: string, state: FailoverState) {
    super(scope, id);
    const checkout = state.activePassive('checkout');
    const edge = state.weighted('edge-gateway');

    new DataResource(this, 'checkout-route', {
      input: {
        service: checkout.service,
        active: checkout.active,
        standby: checkout.targets.filter((t) => t !== checkout.active),
      },
      triggersReplace: { active: checkout.active },
      provisioners: [
        {
          type: 'local-exec',
          command: 'mkdir -p routes && printf "%s\\n" "$ACTIVE" > routes/checkout',
          environment: { ACTIVE: checkout.active },
        },
      ],
    });
    new DataResource(this, 'edge-gateway-weights', {
      input: edge.weights,
      triggersReplace: edge.weights,
      provisioners: [
        {
          type: 'local-exec',
          command: 'mkdir -p routes && printf "%s\\n" "$WEIGHTS" > routes/edge-gateway',
          environment: { WEIGHTS: JSON.stringify(edge.weights) },
        },
      ],
    });
    new TerraformOutput(this, 'checkout_active', { value: checkout.active });
    new TerraformOutput(this, 'edge_gateway_weights', { value: edge.weights });
  }
}
