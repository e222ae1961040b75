export {
  ALERTMANAGER_BIN,
  type AlertmanagerOptions,
  alertmanagerMissing,
  type RunningAlertmanager,
  startAlertmanager,
} from '../../src/sandbox/alertmanager.js';
