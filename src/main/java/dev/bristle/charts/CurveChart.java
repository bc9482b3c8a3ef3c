package dev.bristle.charts;

import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy-versus-budget curves as one self-contained SVG: one panel per norm, accuracy 0-100 % upwards, budget to
 * the right (L-inf ticks in /255), one colour per attack, dashed for targeted runs, a legend under the panels.
 */
public final class CurveChart {

    /**
     * One line.
     *
     * @param label    legend text
     * @param colorKey lines with the same key share a colour (the attack)
     * @param dashed   drawn dashed (targeted)
     * @param panel    index of the panel it is drawn in
     * @param x        budgets
     * @param y        accuracies in %
     */
    public record Series(String label, String colorKey, boolean dashed, int panel, double[] x, double[] y) {
    }

    /**
     * One panel.
     *
     * @param title     panel title
     * @param in255ths  label budgets as n/255
     * @param maxBudget right end of the axis
     */
    public record Panel(String title, boolean in255ths, double maxBudget) {
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f"};
    private static final int PANEL_WIDTH = 360;
    private static final int PANEL_HEIGHT = 260;
    private static final int MARGIN_LEFT = 52;
    private static final int MARGIN_TOP = 58;
    private static final int MARGIN_BOTTOM = 46;
    private static final int GAP = 40;
    private static final int LEGEND_ROW = 18;

    private CurveChart() {
    }

    /** Budget-sweep curves: an L-inf panel and an L2 panel (C&W and DeepFool read off minimal perturbations). */
    public static String ofCurves(String title, List<BudgetSweep.Curve> curves) {
        List<Panel> panels = List.of(new Panel("L-inf attacks", true, maxBudget(curves, Norm.LINF)),
                new Panel("L2 attacks (CW, DeepFool: minimal perturbations)", false, maxBudget(curves, Norm.L2)));
        List<Series> series = new ArrayList<>();
        for (BudgetSweep.Curve curve : curves) {
            double[] x = curve.points().stream().mapToDouble(BudgetSweep.Point::eps).toArray();
            double[] y = curve.points().stream().mapToDouble(BudgetSweep.Point::accuracy).toArray();
            series.add(new Series(curve.attack() + " " + curve.mode().key(), curve.attack(),
                    curve.mode() == AttackMode.TARGETED, curve.norm() == Norm.LINF ? 0 : 1, x, y));
        }
        return svg(title, panels, series);
    }

    private static double maxBudget(List<BudgetSweep.Curve> curves, Norm norm) {
        double max = curves.stream().filter(c -> c.norm() == norm).flatMap(c -> c.points().stream())
                .mapToDouble(BudgetSweep.Point::eps).max().orElse(0);
        return max > 0 ? max : 1;
    }

    public static String svg(String title, List<Panel> panels, List<Series> series) {
        List<String> colorKeys = new ArrayList<>();
        for (Series s : series) if (!colorKeys.contains(s.colorKey())) colorKeys.add(s.colorKey());
        int legendRows = (series.size() + 2) / 3;
        int width = MARGIN_LEFT + panels.size() * (PANEL_WIDTH + GAP);
        int height = MARGIN_TOP + PANEL_HEIGHT + MARGIN_BOTTOM + legendRows * LEGEND_ROW + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                MARGIN_LEFT, escape(title)));
        for (int p = 0; p < panels.size(); p++) {
            int left = MARGIN_LEFT + p * (PANEL_WIDTH + GAP);
            axes(svg, panels.get(p), left);
            for (Series s : series) {
                if (s.panel() == p) line(svg, s, panels.get(p), left, color(colorKeys, s.colorKey()));
            }
        }
        int legendTop = MARGIN_TOP + PANEL_HEIGHT + MARGIN_BOTTOM;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int x = MARGIN_LEFT + (i % 3) * 240;
            int y = legendTop + (i / 3) * LEGEND_ROW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", x, y, x + 24, y, color(colorKeys, s.colorKey()), dash(s)));
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
        for (int accuracy = 0; accuracy <= 100; accuracy += 20) {
            double y = yOf(accuracy);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, left + PANEL_WIDTH, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>%n",
                    left - 6, y + 4, accuracy));
        }
        for (int i = 0; i <= 4; i++) {
            double budget = panel.maxBudget() * i / 4;
            double x = left + PANEL_WIDTH * (double) i / 4;
            String label = panel.in255ths() ? trim(budget * 255) + "/255" : trim(budget);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    bottom + 16, label));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">budget (pixels)</text>%n",
                left + PANEL_WIDTH / 2, bottom + 34));
    }

    private static void line(StringBuilder svg, Series s, Panel panel, int left, String color) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.x().length; i++) {
            double x = left + PANEL_WIDTH * Math.min(s.x()[i], panel.maxBudget()) / panel.maxBudget();
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yOf(s.y()[i])));
        }
        svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s>"
                + "<title>%s</title></polyline>%n", points.toString().trim(), color, dash(s), escape(s.label())));
        for (int i = 0; i < s.x().length; i++) {
            double x = left + PANEL_WIDTH * Math.min(s.x()[i], panel.maxBudget()) / panel.maxBudget();
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %.2f%%"
                    + "</title></circle>%n", x, yOf(s.y()[i]), color, escape(s.label()), s.y()[i]));
        }
    }

    private static double yOf(double accuracy) {
        return MARGIN_TOP + PANEL_HEIGHT * (1 - Math.max(0, Math.min(100, accuracy)) / 100);
    }

    private static String color(List<String> keys, String key) {
        return PALETTE[keys.indexOf(key) % PALETTE.length];
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
