/**
 * Built-in defaults, in the same shape as a `_defaults.yaml`, so merging treats them like
 * any other layer. They gate on effect sizes only: on windows of 10k+ events p-values flag
 * differences nobody cares about, so p-value tests are opt-in (see shared README,
 * "Statistics"). PSI levels follow the usual 0.1 / 0.25 convention.
 */
export const BUILTIN_DEFAULTS_FILE = '(built-in defaults)';

export const builtinDefaults = {
  tests: {
    psi: { warn: 0.1, critical: 0.25 },
    ks_statistic: { warn: 0.1, critical: 0.2 },
    jensen_shannon: { warn: 0.1, critical: 0.2 },
    wasserstein_normed: { warn: 0.1, critical: 0.25 },
    null_rate_increase: { warn: 0.05, critical: 0.2 },
  },
  psi_bins: 10,
  min_samples: 100,
  // Two windows in a row before firing or resolving: one noisy window is not an incident.
  fire_after: 2,
  resolve_after: 2,
  // Alertmanager's default repeat_interval.
  repeat_interval: '4h',
  channels: ['*'],
  labels: {},
  retrain: { on: 'off', cooldown: '24h' },
  p_adjust: 'none',
} as const;
