package dev.bristle.web;

import dev.bristle.charts.CurveChart;
import dev.bristle.ml.attack.BudgetSweep;
import io.quarkus.qute.TemplateExtension;

import java.util.List;

/** Charts for templates: {@code {chart:curves(title, run.curves).raw}}. */
@TemplateExtension(namespace = "chart")
public final class TemplateCharts {

    private TemplateCharts() {
    }

    /** Accuracy-versus-budget curves as an SVG chart; null without curves. */
    static String curves(String title, List<BudgetSweep.Curve> curves) {
        return curves == null || curves.isEmpty() ? null : CurveChart.ofCurves(title, curves);
    }
}
