// The subset of Cloud Monitoring's dashboard JSON the recon dashboards use, and helpers that lay
// widgets out on the 48-column mosaic grid.

export interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer: string;
  groupByFields?: string[];
}

export interface TimeSeriesFilter {
  filter: string;
  aggregation: Aggregation;
}

export interface TimeSeriesQuery {
  timeSeriesFilter?: TimeSeriesFilter;
  timeSeriesFilterRatio?: { numerator: TimeSeriesFilter; denominator: TimeSeriesFilter };
}

export interface DataSet {
  timeSeriesQuery: TimeSeriesQuery;
  plotType: 'LINE' | 'STACKED_AREA' | 'STACKED_BAR';
  legendTemplate?: string;
  minAlignmentPeriod: string;
  targetAxis: 'Y1';
}

export interface Threshold {
  label: string;
  value: number;
  color: 'YELLOW' | 'RED';
  direction: 'ABOVE';
  targetAxis: 'Y1';
}

export interface XyChart {
  dataSets: DataSet[];
  thresholds: Threshold[];
  yAxis: { label: string; scale: 'LINEAR' };
}

export interface Widget {
  title: string;
  xyChart?: XyChart;
  logsPanel?: { filter: string; resourceNames: string[] };
  sectionHeader?: { subtitle: string; dividerBelow: boolean };
}

export interface Tile {
  xPos: number;
  yPos: number;
  width: number;
  height: number;
  widget: Widget;
}

export interface DashboardJson {
  displayName: string;
  mosaicLayout: { columns: number; tiles: Tile[] };
}

export const alignmentPeriod = '60s';

export function dataSet(
  query: TimeSeriesQuery,
  options: { plotType?: DataSet['plotType']; legend?: string } = {},
): DataSet {
  const set: DataSet = {
    timeSeriesQuery: query,
    plotType: options.plotType ?? 'LINE',
    minAlignmentPeriod: alignmentPeriod,
    targetAxis: 'Y1',
  };
  if (options.legend !== undefined) set.legendTemplate = options.legend;
  return set;
}

export function xyChart(
  title: string,
  dataSets: DataSet[],
  options: { yLabel?: string; thresholds?: { label: string; value: number }[] } = {},
): Widget {
  return {
    title,
    xyChart: {
      dataSets,
      thresholds: (options.thresholds ?? []).map((t) => ({
        label: t.label,
        value: t.value,
        color: 'YELLOW',
        direction: 'ABOVE',
        targetAxis: 'Y1',
      })),
      yAxis: { label: options.yLabel ?? '', scale: 'LINEAR' },
    },
  };
}

export function sectionHeader(title: string, subtitle = ''): Widget {
  return { title, sectionHeader: { subtitle, dividerBelow: true } };
}

export function logsPanel(title: string, filter: string, project: string): Widget {
  return { title, logsPanel: { filter, resourceNames: [`projects/${project}`] } };
}

export const gridColumns = 48;
const chartWidth = 16;
const chartHeight = 16;
const headerHeight = 4;

/**
 * Lays widgets out row by row: charts three to a row, section headers and logs panels across
 * the full width, each header starting a new row.
 */
export function layoutTiles(widgets: Widget[]): Tile[] {
  const tiles: Tile[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const newRow = (): void => {
    y += rowHeight;
    x = 0;
    rowHeight = 0;
  };
  for (const widget of widgets) {
    const full = widget.sectionHeader !== undefined || widget.logsPanel !== undefined;
    if (full || x + chartWidth > gridColumns) newRow();
    const width = full ? gridColumns : chartWidth;
    const height = widget.sectionHeader !== undefined ? headerHeight : chartHeight;
    tiles.push({ xPos: x, yPos: y, width, height, widget });
    x += width;
    rowHeight = Math.max(rowHeight, height);
    if (full) newRow();
  }
  return tiles;
}
