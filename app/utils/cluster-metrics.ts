/**
 * The two IPC messages of a cluster-wide /metrics scrape: a worker asks its primary, the primary
 * answers with every worker's metrics aggregated (app/utils/metrics.server.ts,
 * server/cluster-primary.ts). Apart from both, so the primary loads no metrics registry.
 */
export const CLUSTER_METRICS_REQUEST = 'classcast:cluster-metrics-request';
export const CLUSTER_METRICS_ANSWER = 'classcast:cluster-metrics-answer';
