/** Every metric name starts with this, Node's process metrics included, so a shared Prometheus can tell them apart. */
export const METRIC_PREFIX = 'handoff_';
