//! Charts drawn with plotters into SVG: counts over time and the funnel plot behind the
//! deviation table.

use plotters::prelude::*;

/// One bar: its label and value; `None` draws a hatched-free gap marked "<n" (suppressed).
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
}

const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0x9e);
const GREY: RGBColor = RGBColor(0x88, 0x88, 0x88);
const RED: RGBColor = RGBColor(0xb2, 0x18, 0x2b);

fn failed<E: std::fmt::Debug>(e: E) -> String {
    format!("grafiek kon niet worden getekend: {e:?}")
}

/// Bars over time (months); `suppressed_label` is written above suppressed bars.
pub fn bars(title: &str, bars: &[Bar], suppressed_label: &str) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let max = bars
            .iter()
            .filter_map(|b| b.value)
            .max()
            .unwrap_or(0)
            .max(4);
        let top = max + max / 5 + 1;
        let n = bars.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..n as f64, 0u64..top)
            .map_err(failed)?;
        let every = n.div_ceil(12).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(24))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if (*x - x.floor()).abs() < 1e-9 && i.is_multiple_of(every) {
                    bars.get(i).map(|b| b.label.clone()).unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc("aantal")
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
                b.value.map(|v| {
                    Rectangle::new([(i as f64 + 0.1, 0), (i as f64 + 0.9, v)], BLUE.filled())
                })
            }))
            .map_err(failed)?;
        chart
            .draw_series(
                bars.iter()
                    .enumerate()
                    .filter(|(_, b)| b.value.is_none())
                    .map(|(i, _)| {
                        Text::new(
                            suppressed_label.to_string(),
                            (i as f64 + 0.15, 1),
                            ("sans-serif", 11).into_font().color(&GREY),
                        )
                    }),
            )
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// One area in a funnel plot: its base and its rate per 1,000.
pub struct FunnelPoint {
    pub base: f64,
    pub rate: f64,
    pub deviates: bool,
}

/// The funnel plot (Spiegelhalter 2005): rate against base with the reference rate and its
/// 95% and 99.8% limits p ± z·√(p(1−p)/n).
pub fn funnel(
    title: &str,
    base_label: &str,
    points: &[FunnelPoint],
    reference_per_1000: f64,
) -> Result<String, String> {
    let p = reference_per_1000 / 1000.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let max_base = points.iter().map(|f| f.base).fold(1.0, f64::max) * 1.05;
        let max_rate = points
            .iter()
            .map(|f| f.rate)
            .fold(reference_per_1000 * 2.0, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..max_base, 0f64..max_rate)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| crate::dutch_number(*y, 2))
            .x_desc(base_label)
            .y_desc("per 1.000")
            .draw()
            .map_err(failed)?;
        let steps = 200;
        let limit = |z: f64| {
            (1..=steps).map(move |k| {
                let n = max_base * k as f64 / steps as f64;
                let r = 1000.0 * (p + z * (p * (1.0 - p) / n).sqrt());
                (n, r.clamp(0.0, max_rate))
            })
        };
        chart
            .draw_series(LineSeries::new(
                [(0.0, reference_per_1000), (max_base, reference_per_1000)],
                BLACK.stroke_width(2),
            ))
            .map_err(failed)?
            .label("gemeentelijk gemiddelde");
        for (z, style, label) in [
            (1.96, GREY.stroke_width(1), Some("grenzen 95% en 99,8%")),
            (-1.96, GREY.stroke_width(1), None),
            (3.09, GREY.stroke_width(2), None),
            (-3.09, GREY.stroke_width(2), None),
        ] {
            let series = chart
                .draw_series(LineSeries::new(limit(z), style))
                .map_err(failed)?;
            if let Some(label) = label {
                series.label(label);
            }
        }
        chart
            .draw_series(points.iter().map(|f| {
                let colour = if f.deviates { RED } else { BLUE };
                Circle::new((f.base, f.rate), 4, colour.filled())
            }))
            .map_err(failed)?;
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(GREY)
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_chart_is_svg_with_labels_and_marks_suppressed_months() {
        let data = vec![
            Bar {
                label: "2024-01".into(),
                value: Some(12),
            },
            Bar {
                label: "2024-02".into(),
                value: None,
            },
            Bar {
                label: "2024-03".into(),
                value: Some(7),
            },
        ];
        let svg = bars("Signalen per maand", &data, "<5").unwrap_or_default();
        assert!(svg.contains("<svg"));
        assert!(svg.contains("Signalen per maand"));
        assert!(svg.contains("2024-03"));
        assert!(svg.contains("&lt;5"));
    }

    #[test]
    fn funnel_plot_draws_reference_and_limits() {
        let points = vec![
            FunnelPoint {
                base: 1000.0,
                rate: 2.0,
                deviates: false,
            },
            FunnelPoint {
                base: 5000.0,
                rate: 9.0,
                deviates: true,
            },
        ];
        let svg = funnel("Trechter", "inwoners", &points, 2.5).unwrap_or_default();
        assert!(svg.contains("gemeentelijk gemiddelde"));
        assert!(svg.matches("<circle").count() >= 2);
    }
}
