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
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
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
        // PNGs are encoded in memory: ImageIO's default file cache puts a temporary file in
        // java.io.tmpdir and, when a write fails (a full disk), its shutdown hook closes that
        // cache a second time and prints a NullPointerException trace after cdln's own message
        javax.imageio.ImageIO.setUseCache(false);
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

    /**
     * One curve given by arrays, for figures whose points are not {@link EvalPoint}s (e.g. test
     * accuracy per epoch): the value at each step and at each training second.
     */
    public record Curve(String name, double[] steps, double[] seconds, double[] values) {
        public Curve {
            if (steps.length != values.length || seconds.length != values.length) {
                throw new IllegalArgumentException("curve " + name + ": " + steps.length + " steps, " + seconds.length
                        + " seconds and " + values.length + " values; they must have one entry per point");
            }
            steps = steps.clone();
            seconds = seconds.clone();
            values = values.clone();
        }
    }

    /**
     * Writes {@code name}.png and {@code name}.svg: each curve's value against steps (left) and against
     * training seconds (right), with a shared y axis (log-scale when {@code logY}; non-positive values
     * are then skipped). The {@link Curve} counterpart of
     * {@link #versusStepsAndSeconds(Path, String, String, String, List, ToDoubleFunction, boolean)}.
     *
     * @return the PNG path
     */
    public static Path curvesVersusStepsAndSeconds(Path dir, String name, String title, String yLabel,
                                                   List<Curve> curves, boolean logY) {
        XYSeriesCollection bySteps = new XYSeriesCollection();
        XYSeriesCollection bySeconds = new XYSeriesCollection();
        for (Curve c : curves) {
            XYSeries a = new XYSeries(c.name(), false, true);
            XYSeries b = new XYSeries(c.name(), false, true);
            for (int i = 0; i < c.values().length; i++) {
                double v = c.values()[i];
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    a.add(c.steps()[i], v);
                    b.add(c.seconds()[i], v);
                }
            }
            bySteps.addSeries(a);
            bySeconds.addSeries(b);
        }
        ValueAxis y = logY ? logAxis(yLabel) : new NumberAxis(yLabel);
        if (y instanceof NumberAxis ny) {
            ny.setAutoRangeIncludesZero(false);
        }
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(18);
        XYPlot left = panel(bySteps, new NumberAxis("steps"), curves.size());
        XYPlot right = panel(bySeconds, new NumberAxis("training seconds"), curves.size());
        java.awt.Shape[] shapes = org.jfree.chart.plot.DefaultDrawingSupplier.createStandardSeriesShapes();
        for (XYPlot p : List.of(left, right)) {
            XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) p.getRenderer();
            r.setDefaultShapesVisible(true);
            for (int i = 0; i < curves.size(); i++) {
                r.setSeriesShape(i, shapes[i % shapes.length]);
            }
        }
        right.getRenderer().setDefaultSeriesVisibleInLegend(false);
        plot.add(left);
        plot.add(right);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return save(dir, name, chart);
    }

    /**
     * One panel of {@link #panels}: named curves against a shared x axis.
     *
     * @param yLabel    the panel's y-axis label
     * @param names     one legend name per curve
     * @param xs        x values per curve
     * @param ys        y values per curve (NaN and, on a log axis, non-positive values are skipped)
     * @param logY      log-scale y axis
     * @param reference a horizontal reference line (e.g. 2r, or 1 for a ratio), or null
     */
    public record Panel(String yLabel, List<String> names, List<double[]> xs, List<double[]> ys, boolean logY,
                        Double reference) {
    }

    /**
     * Writes {@code name}.png/.svg: panels stacked vertically over one shared x axis (e.g. the
     * left and right alignment, or the top/middle/bottom block angles, against steps).
     */
    public static Path panels(Path dir, String name, String title, String xLabel, List<Panel> panels) {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        int legendPanels = 0;
        for (Panel p : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (int i = 0; i < p.names().size(); i++) {
                XYSeries s = new XYSeries(p.names().get(i), false, true);
                double[] xv = p.xs().get(i);
                double[] yv = p.ys().get(i);
                for (int k = 0; k < xv.length; k++) {
                    if (Double.isFinite(yv[k]) && (!p.logY() || yv[k] > 0)) {
                        s.add(xv[k], yv[k]);
                    }
                }
                data.addSeries(s);
            }
            XYPlot sub = panel(data, new NumberAxis(xLabel), p.names().size());
            sub.setDomainAxis(null);
            sub.setRangeAxis(p.logY() ? logAxis(p.yLabel()) : new NumberAxis(p.yLabel()));
            if (p.reference() != null) {
                ValueMarker m = new ValueMarker(p.reference(), Color.GRAY, new BasicStroke(1.0f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1.0f, new float[] {6f, 4f}, 0f));
                sub.addRangeMarker(m);
            }
            if (legendPanels++ > 0 && sameNames(panels.get(0), p)) {
                sub.getRenderer().setDefaultSeriesVisibleInLegend(false);
            }
            plot.add(sub, 1);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return save(dir, name, chart, WIDTH, Math.max(HEIGHT, 260 * panels.size()));
    }

    private static boolean sameNames(Panel a, Panel b) {
        return a.names().equals(b.names());
    }

    /**
     * Writes {@code name}.png/.svg: a heat map of z[i][k] at (x[k], row i + 1), e.g. the singular
     * values σ_i(t) of the product against steps (x) and index i (y), coloured by log10 z when
     * {@code logZ}. Cells are as wide as the gap to the next x.
     */
    public static Path heatMap(Path dir, String name, String title, String xLabel, String yLabel, String zLabel,
                               double[] x, double[][] z, boolean logZ) {
        int rows = z.length;
        int n = x.length;
        double[] xv = new double[rows * n];
        double[] yv = new double[rows * n];
        double[] zv = new double[rows * n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < n; k++) {
                int q = i * n + k;
                xv[q] = x[k];
                yv[q] = i + 1;
                double v = z[i][k];
                zv[q] = logZ ? (v > 0 ? Math.log10(v) : Double.NaN) : v;
                if (Double.isFinite(zv[q])) {
                    lo = Math.min(lo, zv[q]);
                    hi = Math.max(hi, zv[q]);
                }
            }
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(zLabel, new double[][] {xv, yv, zv});
        XYBlockRenderer r = new XYBlockRenderer();
        double width = n > 1 ? (x[n - 1] - x[0]) / (n - 1) : 1.0;
        r.setBlockWidth(width);
        r.setBlockHeight(1.0);
        r.setBlockAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
        Viridis scale = new Viridis(lo, hi);
        r.setPaintScale(scale);
        NumberAxis xa = new NumberAxis(xLabel);
        xa.setAutoRangeIncludesZero(true);
        xa.setLowerMargin(0);
        xa.setUpperMargin(0);
        NumberAxis ya = new NumberAxis(yLabel);
        ya.setInverted(true);
        ya.setRange(1, rows + 1);
        ya.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, xa, ya, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.addSubtitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        NumberAxis za = new NumberAxis(logZ ? "log10 " + zLabel : zLabel);
        za.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, za);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 8, 4, 8);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return save(dir, name, chart);
    }

    /** A perceptually uniform colour scale (viridis anchors, linear in between); NaN is white. */
    static final class Viridis implements PaintScale {
        private static final int[] ANCHORS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89,
            0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
        private final double lo;
        private final double hi;

        Viridis(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public java.awt.Paint getPaint(double v) {
            if (!Double.isFinite(v)) {
                return Color.WHITE;
            }
            double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (ANCHORS.length - 1);
            int i = Math.min(ANCHORS.length - 2, (int) t);
            double f = t - i;
            Color a = new Color(ANCHORS[i]);
            Color b = new Color(ANCHORS[i + 1]);
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                    (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                    (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }
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
        return save(dir, name, chart, WIDTH, HEIGHT);
    }

    private static Path save(Path dir, String name, JFreeChart chart, int width, int height) {
        try {
            Path png = dir.resolve(name + ".png");
            org.cdln.cli.Outputs.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
            SVGGraphics2D g2 = new SVGGraphics2D(width, height);
            chart.draw(g2, new Rectangle(0, 0, width, height));
            org.cdln.cli.Outputs.writeString(dir.resolve(name + ".svg"), g2.getSVGElement());
            return png;
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("could not write figure " + dir.resolve(name) + ": "
                    + e.getMessage().replaceFirst("^could not write [^:]*: ", ""), e.getCause());
        }
    }
}
