/**
 * The parts of Apache ECharts the dashboard uses, registered once (tree-shaken: line
 * charts, the grid, legend, tooltip and mark lines; the SVG renderer for the server, the
 * canvas renderer for the browser, which styles its elements through the CSSOM only).
 */
import * as echarts from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer, CanvasRenderer]);

export { echarts };
