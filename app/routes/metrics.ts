/** Prometheus scrape endpoint (see app/utils/metrics.server.ts); off unless METRICS_TOKEN is set. */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { config } from '~/config.server';
import { metricsResponse } from '~/utils/metrics.server';

export function loader({ request }: LoaderFunctionArgs) {
  return metricsResponse(request, config().METRICS_TOKEN);
}
