package org.cdln.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.train.EvalPoint;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * The figures: log-scale curves against steps and against seconds, side by side with a shared
 * y axis, written as PNG and SVG. One writer used by every command.
 */
public final class Charts {
    /** Figure size in pixels. */
    public static final int WIDTH = 1200;
    public static final int HEIGHT = 520;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** recovery.png/.svg of a recovery experiment: recovery error vs steps and vs seconds. */
    public static Path recovery(Path dir, String name, RecoveryExperiments.Outcome outcome) {
        List<Series> series = new ArrayList<>();
        for (RecoveryExperiments.Run run : outcome.runs()) {
            series.add(Series.of(run.result()).named(ResultTable.columnName(run)));
        }
        String title = outcome.problem() + " — " + outcome.backend();
        return versusStepsAndSeconds(dir, name, title, "recovery error", series, EvalPoint::recoveryError, true);
    }

    /**
     * alpha-sweep.png/.svg: the compressed network's steps to tolerance against α, with the original
     * network's steps as a horizontal reference (runs that did not converge are left out).
     */
    public static Path alphaSweep(Path dir, RecoveryExperiments.Outcome outcome) {
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<RecoveryExperiments.Run> sweep = outcome.runs().stream().filter(r -> r.alpha() != null).toList();
        double[] a = sweep.stream().mapToDouble(RecoveryExperiments.Run::alpha).toArray();
        double[] steps = sweep.stream().mapToDouble(r -> converged(r) ? r.result().steps() : Double.NaN).toArray();
        names.add("compressed (C-DLN)");
        xs.add(a);
        ys.add(steps);
        outcome.runs().stream().filter(r -> r.alpha() == null && converged(r)).findFirst().ifPresent(o -> {
            names.add("original (uniform rate)");
            xs.add(new double[] {a[0], a[a.length - 1]});
            ys.add(new double[] {o.result().steps(), o.result().steps()});
        });
        return xy(dir, "alpha-sweep", "Steps to training loss < " + ResultTable.g(outcome.settings().tol())
                + " against the discrepant rate α — " + outcome.problem(), "α", "steps to tolerance", names, xs, ys, false);
    }

    private static boolean converged(RecoveryExperiments.Run r) {
        return r.result().stopReason() == org.cdln.train.StopReason.CONVERGED;
    }

    /**
     * Writes {@code name}.png and {@code name}.svg: the value against steps (left) and against
     * seconds (right), one line per series. Non-positive or NaN values are skipped on a log axis.
     *
     * @return the PNG path
     */
    public static Path versusStepsAndSeconds(Path dir, String name, String title, String yLabel, List<Series> series,
                                             ToDoubleFunction<EvalPoint> value, boolean logY) {
        return versusStepsAndSeconds(dir, name, title, yLabel, series, value, logY, false);
    }

    /**
     * As {@link #versusStepsAndSeconds(Path, String, String, String, List, ToDoubleFunction, boolean)},
     * optionally with a logarithmic seconds axis (for runs whose durations differ by orders of
     * magnitude; points at 0 s are then left out).
     */
    public static Path versusStepsAndSeconds(Path dir, String name, String title, String yLabel, List<Series> series,
                                             ToDoubleFunction<EvalPoint> value, boolean logY, boolean logSeconds) {
        XYSeriesCollection bySteps = new XYSeriesCollection();
        XYSeriesCollection bySeconds = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries a = new XYSeries(s.name(), false, true);
            XYSeries b = new XYSeries(s.name(), false, true);
            for (EvalPoint p : s.points()) {
                double v = value.applyAsDouble(p);
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    a.add(p.step(), v);
                    if (!logSeconds || p.seconds() > 0) {
                        b.add(p.seconds(), v);
                    }
                }
            }
            bySteps.addSeries(a);
            bySeconds.addSeries(b);
        }
        ValueAxis y = logY ? logAxis(yLabel) : linearAxis(yLabel);
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(18);
        plot.add(panel(bySteps, new NumberAxis("steps"), series.size()));
        XYPlot right = panel(bySeconds, new NumberAxis("training seconds"), series.size());
        if (logSeconds) {
            LogAxis x = new LogAxis("training seconds (log scale)");
            x.setBase(10);
            x.setTickUnit(new NumberTickUnit(1));
            x.setNumberFormatOverride(new DecimalFormat("0.###"));
            x.setMinorTickMarksVisible(true);
            right.setDomainAxis(x);
        }
        right.getRenderer().setDefaultSeriesVisibleInLegend(false);
        plot.add(right);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return save(dir, name, chart);
    }

    /**
     * Writes {@code name}.png/.svg with one or more y-series against a shared x value, e.g. steps to
     * tolerance against α.
     */
    public static Path xy(Path dir, String name, String title, String xLabel, String yLabel, List<String> names,
                          List<double[]> xs, List<double[]> ys, boolean logY) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < names.size(); i++) {
            XYSeries s = new XYSeries(names.get(i), false, true);
            for (int k = 0; k < xs.get(i).length; k++) {
                double v = ys.get(i)[k];
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    s.add(xs.get(i)[k], v);
                }
            }
            data.addSeries(s);
        }
        XYPlot plot = panel(data, new NumberAxis(xLabel), names.size());
        plot.setRangeAxis(logY ? logAxis(yLabel) : new NumberAxis(yLabel));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        r.setDefaultShapesVisible(true);
        for (int i = 0; i < names.size(); i++) {
            r.setSeriesShapesVisible(i, true);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return save(dir, name, chart);
    }

    /** A linear value axis fitted to the data (not stretched down to 0). */
    private static NumberAxis linearAxis(String label) {
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        return y;
    }

    private static LogAxis logAxis(String label) {
        LogAxis y = new LogAxis(label);
        y.setBase(10);
        y.setTickUnit(new NumberTickUnit(1));
        y.setNumberFormatOverride(new DecimalFormat("0E0"));
        y.setMinorTickMarksVisible(true);
        return y;
    }

    private static XYPlot panel(XYSeriesCollection data, NumberAxis x, int n) {
        x.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < n; i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        XYPlot p = new XYPlot(data, x, null, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        p.setOutlineVisible(false);
        return p;
    }

    private static Path save(Path dir, String name, JFreeChart chart) {
        try {
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
            SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
            SVGUtils.writeToSVG(dir.resolve(name + ".svg").toFile(), g2.getSVGElement());
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write figure " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
