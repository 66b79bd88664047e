/** Liveness probe and the benchmark's bare baseline: a constant, no data access. */
export function loader() {
  return new Response('ok', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
}
