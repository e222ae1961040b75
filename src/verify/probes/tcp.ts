// TCP probe: a connection is accepted within the attempt's time. Nothing is written to the socket.
import { connect } from 'node:net';
import type { CheckConfig } from '../../core/config/schema.js';
import type { Probe, ProbeOutcome } from '../types.js';
import { describeNetworkError, errorCode } from './errors.js';

export type TcpProbeConfig = NonNullable<CheckConfig['tcp']>;

export function createTcpProbe(cfg: TcpProbeConfig): Probe {
  const where = cfg.host.includes(':') ? `[${cfg.host}]:${cfg.port}` : `${cfg.host}:${cfg.port}`;
  return {
    kind: 'tcp',
    describe: `tcp ${where}`,
    attempt(signal: AbortSignal): Promise<ProbeOutcome> {
      return new Promise((resolve) => {
        const socket = connect({ host: cfg.host, port: cfg.port });
        const finish = (outcome: ProbeOutcome) => {
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(outcome);
        };
        const onAbort = () =>
          finish({ ok: false, observed: 'no answer', error: `no connection to ${where}` });
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => finish({ ok: true, observed: 'connected' }));
        socket.once('error', (err) => {
          const code = errorCode(err);
          const observed = code === 'ECONNREFUSED' ? 'refused' : (code ?? 'error');
          finish({ ok: false, observed, error: `${where}: ${describeNetworkError(err)}` });
        });
      });
    },
  };
}
