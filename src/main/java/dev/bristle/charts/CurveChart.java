package dev.bristle.charts;

import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts as one self-contained SVG: side-by-side panels with their own axes, one colour per series key (the attack,
 * the method), dashed lines for targeted runs, and either lines through points or labelled points (a scatter);
 * a legend under the panels. Accuracy-versus-budget curves ({@link #ofCurves}) are its first use.
 */
public final class CurveChart {

    /** How a series is drawn. */
    public enum Style {
        /** a line through its points, each point marked */
        LINE,
        /** marked points only, each labelled with the series' label */
        POINTS,
        /** like {@link #POINTS}, the marks open circles: points of a weaker kind (a preliminary entry) */
        OPEN_POINTS
    }

    /**
     * One series.
     *
     * @param label    legend text (and the points' label for {@link Style#POINTS})
     * @param colorKey series with the same key share a colour (the attack, the method)
     * @param dashed   drawn dashed (targeted)
     * @param panel    index of the panel it is drawn in
     * @param x        positions on the panel's x axis
     * @param y        positions on the panel's y axis
     * @param style    line or points
     */
    public record Series(String label, String colorKey, boolean dashed, int panel, double[] x, double[] y,
                         Style style) {

        public Series(String label, String colorKey, boolean dashed, int panel, double[] x, double[] y) {
            this(label, colorKey, dashed, panel, x, y, Style.LINE);
        }
    }

    /** A tick on an axis: where, and what it reads. */
    public record Tick(double value, String label) {
    }

    /**
     * An axis from {@code min} to {@code max}; values outside are drawn at the nearer end.
     *
     * @param unit appended to a point's value in its tooltip ("%" or "")
     */
    public record Axis(String label, double min, double max, List<Tick> ticks, String unit) {

        /** 0 to 100 in steps of 20, each tick followed by {@code unit}. */
        public static Axis percent(String label, String unit) {
            List<Tick> ticks = new ArrayList<>();
            for (int v = 0; v <= 100; v += 20) ticks.add(new Tick(v, v + unit));
            return new Axis(label, 0, 100, ticks, unit);
        }

        /** A range fitted to {@code values}, on multiples of 5 (10 for wide ranges), with a tick at each. */
        public static Axis fitted(String label, double[] values, String unit) {
            double low = java.util.Arrays.stream(values).min().orElse(0);
            double high = java.util.Arrays.stream(values).max().orElse(100);
            double step = high - low > 40 ? 10 : 5;
            double min = Math.floor(low / step) * step;
            double max = Math.max(min + step, Math.ceil(high / step) * step);
            List<Tick> ticks = new ArrayList<>();
            for (double v = min; v <= max + 1e-9; v += step) ticks.add(new Tick(v, trim(v) + unit));
            return new Axis(label, min, max, ticks, unit);
        }

        double fraction(double value) {
            return max == min ? 0 : (Math.max(min, Math.min(max, value)) - min) / (max - min);
        }
    }

    /** One panel. */
    public record Panel(String title, Axis x, Axis y) {
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int PANEL_WIDTH = 360;
    private static final int PANEL_HEIGHT = 260;
    private static final int MARGIN_LEFT = 60;
    private static final int MARGIN_TOP = 58;
    private static final int MARGIN_BOTTOM = 46;
    private static final int GAP = 56;
    private static final int LEGEND_ROW = 18;
    private static final int LEGEND_COLUMN = 200;

    private CurveChart() {
    }

    /** Budget-sweep curves: an L-inf panel and an L2 panel (C&W and DeepFool read off minimal perturbations). */
    public static String ofCurves(String title, List<BudgetSweep.Curve> curves) {
        Axis accuracy = Axis.percent("accuracy", "%");
        List<Panel> panels = List.of(
                new Panel("L-inf attacks", budgetAxis(maxBudget(curves, Norm.LINF), true), accuracy),
                new Panel("L2 attacks (CW, DeepFool: minimal perturbations)",
                        budgetAxis(maxBudget(curves, Norm.L2), false), accuracy));
        List<Series> series = new ArrayList<>();
        for (BudgetSweep.Curve curve : curves) {
            double[] x = curve.points().stream().mapToDouble(BudgetSweep.Point::eps).toArray();
            double[] y = curve.points().stream().mapToDouble(BudgetSweep.Point::accuracy).toArray();
            series.add(new Series(curve.attack() + " " + curve.mode().key(), curve.attack(),
                    curve.mode() == AttackMode.TARGETED, curve.norm() == Norm.LINF ? 0 : 1, x, y));
        }
        return svg(title, panels, series);
    }

    /** A budget axis from 0 to {@code max} with five ticks, in n/255 for L-inf budgets. */
    private static Axis budgetAxis(double max, boolean in255ths) {
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double budget = max * i / 4;
            ticks.add(new Tick(budget, in255ths ? trim(budget * 255) + "/255" : trim(budget)));
        }
        return new Axis("budget (pixels)", 0, max, ticks, "");
    }

    private static double maxBudget(List<BudgetSweep.Curve> curves, Norm norm) {
        double max = curves.stream().filter(c -> c.norm() == norm).flatMap(c -> c.points().stream())
                .mapToDouble(BudgetSweep.Point::eps).max().orElse(0);
        return max > 0 ? max : 1;
    }

    public static String svg(String title, List<Panel> panels, List<Series> series) {
        return svg(title, panels, series, List.of());
    }

    /**
     * A chart whose colours follow {@code colorKeys}: the n-th key gets the n-th colour, so charts drawn with the
     * same keys colour a method alike; keys not listed follow in the order they appear.
     */
    public static String svg(String title, List<Panel> panels, List<Series> series, List<String> colorKeys) {
        colorKeys = new ArrayList<>(colorKeys);
        for (Series s : series) if (!colorKeys.contains(s.colorKey())) colorKeys.add(s.colorKey());
        int width = MARGIN_LEFT + panels.size() * (PANEL_WIDTH + GAP) - GAP + 24;
        int legendColumns = Math.max(1, (width - MARGIN_LEFT) / LEGEND_COLUMN);
        int legendRows = (series.size() + legendColumns - 1) / legendColumns;
        int height = MARGIN_TOP + PANEL_HEIGHT + MARGIN_BOTTOM + legendRows * LEGEND_ROW + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\""
                        + " aria-label=\"%s\">%n", width, height, width, height, escape(title)));
        svg.append(String.format(Locale.ROOT, "<title>%s</title>%n", escape(title)));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                MARGIN_LEFT, escape(title)));
        for (int p = 0; p < panels.size(); p++) {
            int left = MARGIN_LEFT + p * (PANEL_WIDTH + GAP);
            axes(svg, panels.get(p), left);
            for (Series s : series) {
                if (s.panel() == p) draw(svg, s, panels.get(p), left, color(colorKeys, s.colorKey()));
            }
        }
        int legendTop = MARGIN_TOP + PANEL_HEIGHT + MARGIN_BOTTOM;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int x = MARGIN_LEFT + (i % legendColumns) * LEGEND_COLUMN;
            int y = legendTop + (i / legendColumns) * LEGEND_ROW;
            String color = color(colorKeys, s.colorKey());
            if (s.style() == Style.LINE) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                        + " stroke-width=\"2\"%s/>%n", x, y, x + 24, y, color, dash(s)));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" %s/>%n", x + 12, y,
                        mark(s, color)));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y + 4,
                    escape(s.label())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void axes(StringBuilder svg, Panel panel, int left) {
        int bottom = MARGIN_TOP + PANEL_HEIGHT;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left,
                MARGIN_TOP - 8, escape(panel.title())));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#444\"/>%n", left, MARGIN_TOP, PANEL_WIDTH, PANEL_HEIGHT));
        for (Tick tick : panel.y().ticks()) {
            double y = yOf(panel, tick.value());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, left + PANEL_WIDTH, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left - 6, y + 4, escape(tick.label())));
        }
        for (Tick tick : panel.x().ticks()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    xOf(panel, left, tick.value()), bottom + 16, escape(tick.label())));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                left + PANEL_WIDTH / 2, bottom + 34, escape(panel.x().label())));
        int middle = MARGIN_TOP + PANEL_HEIGHT / 2;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 %d %d)\">%s</text>%n", left - 44, middle, left - 44, middle,
                escape(panel.y().label())));
    }

    private static void draw(StringBuilder svg, Series s, Panel panel, int left, String color) {
        if (s.style() == Style.LINE && s.x().length > 1) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(panel, left, s.x()[i]), yOf(panel, s.y()[i])));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s><title>%s</title></polyline>%n", points.toString().trim(), color, dash(s),
                    escape(s.label())));
        }
        for (int i = 0; i < s.x().length; i++) {
            double x = xOf(panel, left, s.x()[i]);
            double y = yOf(panel, s.y()[i]);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" %s><title>%s:"
                            + " %s</title></circle>%n", x, y, s.style() == Style.LINE ? 3 : 4, mark(s, color),
                    escape(s.label()), pointText(panel, s.x()[i], s.y()[i])));
            if (s.style() != Style.LINE) {
                // a point in the right fifth is labelled on its left, so the label stays inside the chart
                boolean right = panel.x().fraction(s.x()[i]) > 0.8;
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\"%s>%s</text>%n",
                        right ? x - 6 : x + 6, y - 5, right ? " text-anchor=\"end\"" : "", escape(s.label())));
            }
        }
    }

    /** A point's tooltip: its x as the tick there reads (or the number), then its y. */
    private static String pointText(Panel panel, double x, double y) {
        String xText = panel.x().ticks().stream().filter(t -> t.value() == x).map(Tick::label).findFirst()
                .orElse(trim(x));
        return String.format(Locale.ROOT, "%s %s, %s %.2f%s", panel.x().label(), xText, panel.y().label(), y,
                panel.y().unit());
    }

    private static double xOf(Panel panel, int left, double value) {
        return left + PANEL_WIDTH * panel.x().fraction(value);
    }

    private static double yOf(Panel panel, double value) {
        return MARGIN_TOP + PANEL_HEIGHT * (1 - panel.y().fraction(value));
    }

    private static String color(List<String> keys, String key) {
        return PALETTE[keys.indexOf(key) % PALETTE.length];
    }

    /** A point's fill: its colour, or white inside a ring of its colour for {@link Style#OPEN_POINTS}. */
    private static String mark(Series s, String color) {
        return s.style() == Style.OPEN_POINTS ? "fill=\"white\" stroke=\"" + color + "\" stroke-width=\"2\""
                : "fill=\"" + color + "\"";
    }

    private static String dash(Series s) {
        return s.dashed() ? " stroke-dasharray=\"6 4\"" : "";
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("\\.?0+$", "");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
