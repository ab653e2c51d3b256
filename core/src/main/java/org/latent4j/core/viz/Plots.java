package org.latent4j.core.viz;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts (loss and metric curves) and scatter plots written as PNG with XChart, without a display.
 * Points that cannot be drawn — NaN, infinities, and values &le; 0 on a logarithmic axis — are left out
 * rather than failing the run that wanted the picture.
 */
public final class Plots {
    /** Width and height of the written charts in pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    /** How the y axis is scaled. */
    public enum AxisScale { LINEAR, LOG }

    private Plots() {
    }

    /** Writes one line per series (a loss curve: x = step, y = loss). */
    public static void writeLines(Path png, String title, String xLabel, String yLabel, List<Series> series,
            AxisScale yScale) {
        XYChart chart = chart(title, xLabel, yLabel, series, yScale, XYSeries.XYSeriesRenderStyle.Line);
        Png.write(png, BitmapEncoder.getBufferedImage(chart));
    }

    /** Writes one colour of points per series (samples against data, a latent space by class). */
    public static void writeScatter(Path png, String title, List<Series> series) {
        XYChart chart = chart(title, "x", "y", series, AxisScale.LINEAR, XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        Png.write(png, BitmapEncoder.getBufferedImage(chart));
    }

    private static XYChart chart(String title, String xLabel, String yLabel, List<Series> series, AxisScale yScale,
            XYSeries.XYSeriesRenderStyle style) {
        Png.ensureHeadless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(style);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        if (style == XYSeries.XYSeriesRenderStyle.Line) {
            chart.getStyler().setXAxisDecimalPattern("#");   // steps: "1,001,1,144" ran the labels together
        }
        boolean log = yScale == AxisScale.LOG;
        int drawn = 0;
        for (Series s : series) {
            int kept = 0;
            double[] x = new double[s.x().length];
            double[] y = new double[s.y().length];
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!log || s.y()[i] > 0)) {
                    x[kept] = s.x()[i];
                    y[kept] = s.y()[i];
                    kept++;
                }
            }
            if (kept == 0) {
                continue;
            }
            XYSeries added = chart.addSeries(s.name(), java.util.Arrays.copyOf(x, kept), java.util.Arrays.copyOf(y, kept));
            if (style == XYSeries.XYSeriesRenderStyle.Line) {
                added.setMarker(SeriesMarkers.NONE);
            }
            drawn++;
        }
        if (drawn == 0) {
            // XChart cannot draw an empty chart; show an empty placeholder series instead of failing.
            chart.addSeries("(no finite values)", new double[] {0}, new double[] {log ? 1 : 0});
        }
        // XChart labels a log axis at powers of ten only: a curve within one decade (a loss from 4.7 to 1.8)
        // would get no y labels at all, so it is drawn on a linear axis instead
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (XYSeries s : chart.getSeriesMap().values()) {
            lo = Math.min(lo, s.getYMin());
            hi = Math.max(hi, s.getYMax());
        }
        chart.getStyler().setYAxisLogarithmic(log && Math.floor(Math.log10(hi)) > Math.floor(Math.log10(lo)));
        return chart;
    }
}
