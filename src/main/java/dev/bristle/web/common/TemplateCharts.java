package dev.bristle.web.common;

import dev.bristle.charts.CurveChart;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.ml.attack.BudgetSweep;
import io.quarkus.qute.TemplateExtension;

import java.util.ArrayList;
import java.util.List;

/** Charts for templates: {@code {chart:curves(title, run.curves).raw}}. */
@TemplateExtension(namespace = "chart")
public final class TemplateCharts {

    private TemplateCharts() {
    }

    /** Clean and worst-case accuracy per class of one mode, a line across the classes each; null without data. */
    static String perClass(MeasuredEvidence.PerClass perClass) {
        if (perClass == null || perClass.clean() == null) return null;
        List<CurveChart.Tick> ticks = new ArrayList<>();
        for (int c = 0; c < perClass.clean().size(); c++) ticks.add(new CurveChart.Tick(c, String.valueOf(c)));
        List<CurveChart.Series> series = new ArrayList<>();
        series.add(series("clean", perClass.clean()));
        if (perClass.worstCase() != null) series.add(series("worst case over the attacks", perClass.worstCase()));
        CurveChart.Panel panel = new CurveChart.Panel(perClass.mode() + " attacks",
                new CurveChart.Axis("class", -0.5, perClass.clean().size() - 0.5, ticks, ""),
                CurveChart.Axis.percent("accuracy", "%"));
        return CurveChart.svg("Accuracy per class, mean over the students", List.of(panel), series);
    }

    /** A line through the classes that have a value. */
    private static CurveChart.Series series(String label, List<Double> perClass) {
        List<double[]> points = new ArrayList<>();
        for (int c = 0; c < perClass.size(); c++) {
            if (perClass.get(c) != null) points.add(new double[] {c, perClass.get(c)});
        }
        return new CurveChart.Series(label, label, false, 0, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** Accuracy-versus-budget curves as an SVG chart; null without curves. */
    static String curves(String title, List<BudgetSweep.Curve> curves) {
        return curves == null || curves.isEmpty() ? null : CurveChart.ofCurves(title, curves);
    }
}
