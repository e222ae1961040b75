// The traffic chart of the report: requests per second per region over time, rendered by Apache
// ECharts on the server to a static SVG (no script in the page), with a vertical marker per story step.
import * as echarts from 'echarts';
import { perSecond, type Sample } from './load.js';

export interface ChartMarker {
  label: string;
  at: number;
}

const COLORS: Record<string, string> = { 'us-east-1': '#1f77b4', 'us-west-2': '#2ca02c', error: '#d62728' };

export function trafficChartSvg(
  samples: Sample[],
  start: number,
  markers: ChartMarker[],
  regions: string[],
): string {
  const buckets = perSecond(samples, start);
  const last = Math.max(0, ...buckets.map((b) => b.second));
  const seconds = Array.from({ length: last + 1 }, (_, i) => i);
  const byKey = (key: string) => seconds.map((s) => buckets.find((b) => b.second === s)?.counts[key] ?? 0);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 960, height: 420 });
  const series = [...regions, 'error'].map((key, i) => ({
    name: key === 'error' ? 'errors (no region answered)' : key,
    type: 'line' as const,
    step: 'middle' as const,
    showSymbol: false,
    color: COLORS[key] ?? '#888',
    data: byKey(key),
    ...(i === 0
      ? {
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed' as const, color: '#555' },
            label: { formatter: '{b}', position: 'insideEndTop' as const, fontSize: 10 },
            data: markers.map((m) => ({ name: m.label, xAxis: String(Math.floor((m.at - start) / 1000)) })),
          },
        }
      : {}),
  }));
  chart.setOption({
    animation: false,
    title: {
      text: 'Requests per second through the entry point, by answering region',
      left: 'center',
      textStyle: { fontSize: 14 },
    },
    legend: { top: 28 },
    grid: { top: 70, left: 50, right: 30, bottom: 50 },
    xAxis: {
      type: 'category',
      data: seconds.map(String),
      name: 'seconds since the sandbox started',
      nameLocation: 'middle',
      nameGap: 30,
    },
    yAxis: { type: 'value', name: 'req/s' },
    series,
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
