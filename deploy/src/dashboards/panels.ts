/**
 * Small builders over Grafana's foundation SDK (typed builders of the dashboard schema) so each dashboard reads as
 * a list of panels: a Prometheus (AMP) or CloudWatch time series, a threshold line where an alarm or SLO has one.
 */
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The data sources every dashboard refers to by uid (rendered as GrafanaDatasource objects, charts/dashboards.ts). */
export const DATASOURCES = {
  amp: { type: 'prometheus', uid: 'amp' },
  cloudwatch: { type: 'cloudwatch', uid: 'cloudwatch' },
} as const satisfies Record<string, common.DataSourceRef>;

export interface Series {
  expr: string;
  legend: string;
}

/** A threshold line (red from `value` up, or below it when `below`), drawn on the graph. */
export interface Threshold {
  value: number;
  below?: boolean;
}

function thresholds(threshold: Threshold | undefined): cog.Builder<dashboard.ThresholdsConfig> {
  const builder = new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute);
  if (!threshold) return builder.steps([{ value: null, color: 'green' }]);
  return builder.steps(
    threshold.below
      ? [
          { value: null, color: 'red' },
          { value: threshold.value, color: 'green' },
        ]
      : [
          { value: null, color: 'green' },
          { value: threshold.value, color: 'red' },
        ],
  );
}

function graph(title: string, unit: string, threshold: Threshold | undefined, description: string) {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .height(8)
    .span(12)
    .thresholds(thresholds(threshold))
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(
        threshold ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off,
      ),
    );
}

/** A time series over AMP. */
export function promPanel(
  title: string,
  unit: string,
  series: Series[],
  options: { threshold?: Threshold; description?: string } = {},
): timeseries.PanelBuilder {
  const panel = graph(title, unit, options.threshold, options.description ?? '').datasource(DATASOURCES.amp);
  series.forEach(({ expr, legend }, index) => {
    panel.withTarget(
      new prometheus.DataqueryBuilder()
        .refId(String.fromCharCode(65 + index))
        .expr(expr)
        .legendFormat(legend)
        .datasource(DATASOURCES.amp),
    );
  });
  return panel;
}

/** One CloudWatch metric (namespace, name, dimensions, statistic) or a Metrics Insights query. */
export type CloudWatchSeries =
  | { namespace: string; metric: string; dimensions: Record<string, string>; statistic: string; label: string }
  | { insights: string; label: string };

/** A time series over CloudWatch in `region`. */
export function cloudWatchPanel(
  title: string,
  unit: string,
  region: string,
  series: CloudWatchSeries[],
  options: { threshold?: Threshold; description?: string } = {},
): timeseries.PanelBuilder {
  const panel = graph(title, unit, options.threshold, options.description ?? '').datasource(DATASOURCES.cloudwatch);
  series.forEach((one, index) => {
    const query = new cloudwatch.MetricsQueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .queryMode(cloudwatch.QueryMode.Metrics)
      .region(region)
      .label(one.label)
      .datasource(DATASOURCES.cloudwatch);
    if ('insights' in one) {
      query.metricQueryType(cloudwatch.MetricQueryType.Insights).metricEditorMode(cloudwatch.MetricEditorMode.Code);
      query.sqlExpression(one.insights);
    } else {
      query
        .metricQueryType(cloudwatch.MetricQueryType.Search)
        .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
        .namespace(one.namespace)
        .metricName(one.metric)
        .dimensions(one.dimensions)
        .statistic(one.statistic)
        .matchExact(true);
    }
    panel.withTarget(query);
  });
  return panel;
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** A dashboard with the settings all of ours share: UTC, last 6 hours, refreshed every minute, tagged. */
export function newDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return (
    new dashboard.DashboardBuilder(title)
      .uid(uid)
      .description(description)
      .tags(['innovate', 'generated'])
      .timezone('utc')
      .time({ from: 'now-6h', to: 'now' })
      .refresh('1m')
      // The operator overwrites the dashboard from Git at every sync: edits in the UI would be lost silently.
      .readonly()
  );
}
